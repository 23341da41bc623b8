// corpus_expectations.cpp: reads expectations (BTF decl tags through libbpf's BTF API),
// program functions and line info (libelf) from corpus objects, and runs the kernel oracle.
#include "corpus_expectations.hpp"

#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <linux/bpf.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <fstream>
#include <memory>
#include <sstream>

namespace corpus {
namespace {

bool starts_with(const std::string &s, const std::string &prefix) {
  return s.compare(0, prefix.size(), prefix) == 0;
}

struct BtfCloser {
  void operator()(btf *b) const { btf__free(b); }
};

void apply_tag(Expectation &e, const std::string &tag) {
  const auto value = [&](const std::string &key) { return tag.substr(key.size()); };
  if (tag == "expect:accept")
    e.accept = true;
  else if (tag == "expect:reject")
    e.reject = true;
  else if (starts_with(tag, "expect:rule="))
    e.rule = value("expect:rule=");
  else if (starts_with(tag, "expect:kernel_msg="))
    e.kernel_msg = value("expect:kernel_msg=");
  else if (starts_with(tag, "expect:line="))
    e.line = value("expect:line=");
  else if (starts_with(tag, "expect:caps="))
    e.caps = value("expect:caps=");
  else if (starts_with(tag, "expect:"))
    e.unknown_tags.push_back(tag);
}

void read_btf(const std::string &path, ObjectInfo &info, const std::vector<char> &btf_ext) {
  std::unique_ptr<btf, BtfCloser> types(btf__parse_elf(path.c_str(), nullptr));
  if (!types)
    return;
  info.has_btf = true;
  for (uint32_t id = 1; id < btf__type_cnt(types.get()); ++id) {
    const btf_type *type = btf__type_by_id(types.get(), id);
    if (!btf_is_decl_tag(type) || btf_decl_tag(type)->component_idx != -1)
      continue;
    const btf_type *target = btf__type_by_id(types.get(), type->type);
    if (!target || !btf_is_func(target))
      continue;
    const std::string function = btf__name_by_offset(types.get(), target->name_off);
    Expectation &e = info.expectations[function];
    e.program = function;
    apply_tag(e, btf__name_by_offset(types.get(), type->name_off));
  }

  // .BTF.ext: header, then line_info = rec_size, { sec_name_off, num_info, records }...
  struct Header {
    uint16_t magic;
    uint8_t version, flags;
    uint32_t hdr_len, func_info_off, func_info_len, line_info_off, line_info_len;
  };
  if (btf_ext.size() < sizeof(Header))
    return;
  Header header;
  memcpy(&header, btf_ext.data(), sizeof header);
  size_t pos = header.hdr_len + header.line_info_off;
  const size_t end = std::min<size_t>(pos + header.line_info_len, btf_ext.size());
  if (header.line_info_len < 4 || end < pos + 4)
    return;
  uint32_t rec_size;
  memcpy(&rec_size, btf_ext.data() + pos, 4);
  pos += 4;
  while (pos + 8 <= end && rec_size >= sizeof(bpf_line_info)) {
    uint32_t name_off, count;
    memcpy(&name_off, btf_ext.data() + pos, 4);
    memcpy(&count, btf_ext.data() + pos + 4, 4);
    pos += 8;
    auto &lines = info.btf_lines[btf__name_by_offset(types.get(), name_off)];
    for (uint32_t i = 0; i < count && pos + rec_size <= end; ++i, pos += rec_size) {
      bpf_line_info record;
      memcpy(&record, btf_ext.data() + pos, sizeof record);
      const char *text = btf__name_by_offset(types.get(), record.line_off);
      lines.emplace_back(text ? text : "");
    }
  }
}

// Splits one CSV record (RFC 4180 quoting, no embedded newlines).
std::vector<std::string> split_csv(const std::string &record) {
  std::vector<std::string> fields(1);
  bool quoted = false;
  for (size_t i = 0; i < record.size(); ++i) {
    const char c = record[i];
    if (quoted && c == '"' && i + 1 < record.size() && record[i + 1] == '"') {
      fields.back() += '"';
      ++i;
    } else if (c == '"') {
      quoted = !quoted;
    } else if (c == ',' && !quoted) {
      fields.emplace_back();
    } else {
      fields.back() += c;
    }
  }
  return fields;
}

std::string shell_quote(const std::string &s) {
  std::string quoted = "'";
  for (const char c : s)
    quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return quoted + "'";
}

} // namespace

ObjectInfo read_object(const std::string &path) {
  ObjectInfo info;
  elf_version(EV_CURRENT);
  const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    info.error = "cannot open " + path;
    return info;
  }
  Elf *elf = elf_begin(fd, ELF_C_READ, nullptr);
  size_t strndx = 0;
  std::vector<char> btf_ext;
  if (!elf || elf_getshdrstrndx(elf, &strndx) != 0) {
    info.error = "not an ELF file: " + path;
  } else {
    std::map<size_t, std::pair<std::string, GElf_Shdr>> sections;
    for (Elf_Scn *scn = nullptr; (scn = elf_nextscn(elf, scn));) {
      GElf_Shdr header;
      gelf_getshdr(scn, &header);
      const char *name = elf_strptr(elf, strndx, header.sh_name);
      sections[elf_ndxscn(scn)] = {name ? name : "", header};
      Elf_Data *data = elf_getdata(scn, nullptr);
      if (data && data->d_buf && sections[elf_ndxscn(scn)].first == ".BTF.ext")
        btf_ext.assign(static_cast<char *>(data->d_buf),
                       static_cast<char *>(data->d_buf) + data->d_size);
      if (sections[elf_ndxscn(scn)].first == ".debug_line")
        info.debug_line_bytes = header.sh_size;
      if (header.sh_type != SHT_SYMTAB || !data)
        continue;
      for (size_t i = 0; i < data->d_size / sizeof(Elf64_Sym); ++i) {
        GElf_Sym sym;
        gelf_getsym(data, static_cast<int>(i), &sym);
        if (GELF_ST_TYPE(sym.st_info) != STT_FUNC || sym.st_size == 0)
          continue;
        const char *symbol = elf_strptr(elf, header.sh_link, sym.st_name);
        info.programs.push_back({symbol ? symbol : "", std::to_string(sym.st_shndx)});
      }
    }
    // Resolve section indices to names; keep entry points only.
    std::vector<ProgramFunction> programs;
    for (auto &program : info.programs) {
      const auto &[name, header] = sections[std::stoul(program.section)];
      if (name != ".text" && (header.sh_flags & SHF_EXECINSTR))
        programs.push_back({program.name, name});
    }
    info.programs = programs;
  }
  if (elf)
    elf_end(elf);
  close(fd);
  if (info.error.empty())
    read_btf(path, info, btf_ext);
  return info;
}

std::optional<Manifest> read_manifest(const std::string &path) {
  std::ifstream in(path);
  if (!in)
    return std::nullopt;
  Manifest manifest;
  std::string kind, name;
  while (in >> kind >> name) {
    if (kind == "clang")
      manifest.clang.push_back(name);
    else if (kind == "gcc")
      manifest.gcc.push_back(name);
    else if (kind == "gcc-excluded")
      manifest.gcc_excluded.push_back(name);
  }
  return manifest;
}

std::map<std::string, KernelVerdict> kernel_verdicts(const std::string &loader,
                                                     const std::string &object,
                                                     const std::vector<std::string> &programs,
                                                     const std::string &caps, std::string &error) {
  std::string command = shell_quote(loader) + " --no-header";
  if (!caps.empty())
    command += " --caps " + shell_quote(caps);
  for (const auto &program : programs)
    command += " --program " + shell_quote(program);
  command += " " + shell_quote(object);
  std::map<std::string, KernelVerdict> verdicts;
  FILE *pipe = popen(command.c_str(), "r");
  if (!pipe) {
    error = "cannot run " + command;
    return verdicts;
  }
  std::string output;
  char buffer[4096];
  while (size_t n = fread(buffer, 1, sizeof buffer, pipe))
    output.append(buffer, n);
  if (const int status = pclose(pipe); status != 0)
    error = command + " exited with status " + std::to_string(status);
  std::istringstream lines(output);
  for (std::string record; std::getline(lines, record);) {
    const auto fields = split_csv(record);
    if (fields.size() != 7) {
      error = "malformed oracle output: " + record;
      continue;
    }
    verdicts[fields[1]] = {fields[1], fields[2], fields[3], fields[5], fields[6]};
  }
  return verdicts;
}

std::map<std::string, KernelVerdict>
kernel_verdicts(const std::string &loader, const std::string &object,
                const std::map<std::string, Expectation> &expectations, std::string &error) {
  std::map<std::string, std::vector<std::string>> by_caps;
  for (const auto &[program, e] : expectations)
    by_caps[e.caps].push_back(program);
  std::map<std::string, KernelVerdict> verdicts;
  for (const auto &[caps, programs] : by_caps) {
    std::string part_error;
    auto part = kernel_verdicts(loader, object, programs, caps, part_error);
    if (!part_error.empty())
      error += (error.empty() ? "" : "; ") + part_error;
    verdicts.merge(part);
  }
  return verdicts;
}

std::optional<std::string> kernel_unavailable(const std::string &loader) {
  if (geteuid() != 0)
    return std::string("not running as root: the kernel oracle needs BPF_PROG_LOAD");
  if (access("/sys/kernel/btf/vmlinux", R_OK) != 0)
    return std::string("/sys/kernel/btf/vmlinux is missing: the kernel has no BTF");
  if (access(loader.c_str(), X_OK) != 0)
    return "the oracle " + loader + " is not built";
  const bpf_insn program[] = {
      {BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_0, 0, 0, 0}, // r0 = 0
      {BPF_JMP | BPF_EXIT, 0, 0, 0, 0},                  // exit
  };
  const int fd = bpf_prog_load(BPF_PROG_TYPE_SOCKET_FILTER, "probe", "GPL", program, 2, nullptr);
  if (fd < 0)
    return std::string("BPF_PROG_LOAD of a trivial program failed: ") + strerror(errno);
  close(fd);
  return std::nullopt;
}

const std::set<std::string> &known_rules() {
  static const std::set<std::string> kRules = {"packet-out-of-bounds",     "null-dereference",
                                               "uninitialized-stack-read", "stack-out-of-bounds",
                                               "helper-argument",          "unbounded-loop",
                                               "reference-leak",           "bad-return-value",
                                               "map-value-out-of-bounds",  "context-access"};
  return kRules;
}

} // namespace corpus
