// legacy_loader.cpp: a small fallback loader for objects libbpf 1.x refuses to open because
// they define maps in the legacy "maps" section (struct bpf_map_def records). It supports what
// such objects of the samples/bpf era contain: legacy maps, one program per function in its
// own section, map relocations, and BTF func/line info so rejections still name a source line.
// No .text subprograms, global data or CO-RE: those objects are reported unloadable.
#include "kernel_verdict.hpp"

#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <map>
#include <memory>

namespace kernel_verdict {
namespace {

struct Section {
  std::string name;
  GElf_Shdr header{};
  Elf_Data *data = nullptr;
};

struct Symbol {
  std::string name;
  GElf_Sym sym{};
  size_t index = 0;
};

// The ELF file's sections and symbols; the Elf handle owns the data the sections point into.
class ElfFile {
public:
  explicit ElfFile(const std::string &path) {
    elf_version(EV_CURRENT);
    fd_ = open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd_ < 0)
      return;
    elf_ = elf_begin(fd_, ELF_C_READ, nullptr);
    size_t strndx = 0;
    if (!elf_ || elf_getshdrstrndx(elf_, &strndx) != 0)
      return;
    for (Elf_Scn *scn = nullptr; (scn = elf_nextscn(elf_, scn));) {
      Section section;
      gelf_getshdr(scn, &section.header);
      const char *name = elf_strptr(elf_, strndx, section.header.sh_name);
      section.name = name ? name : "";
      section.data = elf_getdata(scn, nullptr);
      sections_[elf_ndxscn(scn)] = section;
    }
    for (const auto &[index, section] : sections_)
      if (section.header.sh_type == SHT_SYMTAB && section.data)
        for (size_t i = 0; i < section.data->d_size / sizeof(Elf64_Sym); ++i) {
          Symbol symbol;
          gelf_getsym(section.data, static_cast<int>(i), &symbol.sym);
          const char *name = elf_strptr(elf_, section.header.sh_link, symbol.sym.st_name);
          symbol.name = name ? name : "";
          symbol.index = i;
          symbols_.push_back(symbol);
        }
    ok_ = true;
  }
  ~ElfFile() {
    if (elf_)
      elf_end(elf_);
    if (fd_ >= 0)
      close(fd_);
  }
  ElfFile(const ElfFile &) = delete;
  ElfFile &operator=(const ElfFile &) = delete;

  bool ok() const { return ok_; }
  const std::map<size_t, Section> &sections() const { return sections_; }
  const std::vector<Symbol> &symbols() const { return symbols_; }
  const Section *find(const std::string &name) const {
    for (const auto &[index, section] : sections_)
      if (section.name == name)
        return &section;
    return nullptr;
  }
  size_t index_of(const std::string &name) const {
    for (const auto &[index, section] : sections_)
      if (section.name == name)
        return index;
    return 0;
  }

private:
  int fd_ = -1;
  Elf *elf_ = nullptr;
  bool ok_ = false;
  std::map<size_t, Section> sections_;
  std::vector<Symbol> symbols_;
};

class Fd {
public:
  explicit Fd(int fd = -1) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0)
      close(fd_);
  }
  Fd(Fd &&other) noexcept : fd_(other.fd_) { other.fd_ = -1; }
  Fd(const Fd &) = delete;
  Fd &operator=(const Fd &) = delete;
  int get() const { return fd_; }

private:
  int fd_;
};

struct BtfCloser {
  void operator()(btf *b) const { btf__free(b); }
};

// Creates the legacy maps; key: symbol index. The record size is the section size divided by
// the number of map symbols, as bpf_load.c did; the first five words are the bpf_map_def.
bool create_maps(const ElfFile &elf, std::map<size_t, Fd> &fds, std::string &error) {
  const size_t maps_index = elf.index_of("maps");
  const Section &maps = elf.sections().at(maps_index);
  std::vector<const Symbol *> defs;
  for (const auto &symbol : elf.symbols())
    if (symbol.sym.st_shndx == maps_index && GELF_ST_TYPE(symbol.sym.st_info) == STT_OBJECT)
      defs.push_back(&symbol);
  if (defs.empty() || !maps.data) {
    error = "legacy maps section without map symbols";
    return false;
  }
  const size_t record = maps.data->d_size / defs.size();
  for (const Symbol *def : defs) {
    uint32_t words[5] = {};
    if (record < sizeof words || def->sym.st_value + sizeof words > maps.data->d_size) {
      error = "legacy map record of " + def->name + " is too small";
      return false;
    }
    memcpy(words, static_cast<const char *>(maps.data->d_buf) + def->sym.st_value, sizeof words);
    auto type = static_cast<bpf_map_type>(words[0]);
    uint32_t key = words[1], value = words[2];
    if (type == BPF_MAP_TYPE_PERF_EVENT_ARRAY)
      key = value = 4;
    LIBBPF_OPTS(bpf_map_create_opts, opts, .map_flags = words[4]);
    const int fd = bpf_map_create(type, def->name.c_str(), key, value, words[3], &opts);
    if (fd < 0) {
      error = "map " + def->name + ": " + strerror(errno);
      return false;
    }
    fds.emplace(def->index, Fd(fd));
  }
  return true;
}

// clang leaves DATASEC sizes and variable offsets at 0 for the loader to fill in from the ELF
// section and symbol table; the kernel rejects them as they are.
void fix_datasecs(btf *b, const ElfFile &elf) {
  for (uint32_t id = 1; id < btf__type_cnt(b); ++id) {
    auto *type = const_cast<btf_type *>(btf__type_by_id(b, id));
    if (!btf_is_datasec(type))
      continue;
    const std::string name = btf__name_by_offset(b, type->name_off);
    const size_t index = elf.index_of(name);
    if (index == 0)
      continue;
    type->size = static_cast<uint32_t>(elf.sections().at(index).header.sh_size);
    btf_var_secinfo *var = btf_var_secinfos(type);
    for (uint16_t i = 0; i < btf_vlen(type); ++i, ++var) {
      const std::string var_name = btf__name_by_offset(b, btf__type_by_id(b, var->type)->name_off);
      for (const auto &symbol : elf.symbols())
        if (symbol.sym.st_shndx == index && symbol.name == var_name)
          var->offset = static_cast<uint32_t>(symbol.sym.st_value);
    }
  }
}

// line_info records of one section from .BTF.ext, rebased to the function at [begin, end).
std::vector<bpf_line_info> line_info_for(const ElfFile &elf, const btf *b,
                                         const std::string &section, uint64_t begin, uint64_t end) {
  struct Header {
    uint16_t magic;
    uint8_t version, flags;
    uint32_t hdr_len, func_info_off, func_info_len, line_info_off, line_info_len;
  };
  std::vector<bpf_line_info> result;
  const Section *ext = elf.find(".BTF.ext");
  if (!ext || !ext->data || ext->data->d_size < sizeof(Header))
    return result;
  const auto *bytes = static_cast<const char *>(ext->data->d_buf);
  Header header;
  memcpy(&header, bytes, sizeof header);
  size_t pos = header.hdr_len + header.line_info_off;
  const size_t limit = std::min<size_t>(pos + header.line_info_len, ext->data->d_size);
  if (header.line_info_len < 4 || limit < pos + 4)
    return result;
  uint32_t rec_size;
  memcpy(&rec_size, bytes + pos, 4);
  pos += 4;
  while (pos + 8 <= limit && rec_size >= sizeof(bpf_line_info)) {
    uint32_t name_off, count;
    memcpy(&name_off, bytes + pos, 4);
    memcpy(&count, bytes + pos + 4, 4);
    pos += 8;
    const bool match = section == btf__name_by_offset(b, name_off);
    for (uint32_t i = 0; i < count && pos + rec_size <= limit; ++i, pos += rec_size) {
      bpf_line_info info;
      memcpy(&info, bytes + pos, sizeof info);
      if (match && info.insn_off >= begin && info.insn_off < end) {
        info.insn_off = static_cast<uint32_t>((info.insn_off - begin) / sizeof(bpf_insn));
        result.push_back(info);
      }
    }
  }
  return result;
}

Verdict load_program(const ElfFile &elf, const std::string &path, const Symbol &function,
                     const std::map<size_t, Fd> &map_fds, const Options &options) {
  const Section &section = elf.sections().at(function.sym.st_shndx);
  Verdict verdict{function.name, "unknown", "unloadable", -1, {}, {}};
  const auto type = infer_prog_type(section.name);
  if (!type) {
    verdict.message = "unknown section type '" + section.name + "'";
    return verdict;
  }
  verdict.prog_type = prog_type_name(*type);
  const uint64_t begin = function.sym.st_value, end = begin + function.sym.st_size;
  if (!section.data || end > section.data->d_size) {
    verdict.message = "function outside its section";
    return verdict;
  }
  std::vector<bpf_insn> insns(function.sym.st_size / sizeof(bpf_insn));
  memcpy(insns.data(), static_cast<const char *>(section.data->d_buf) + begin,
         insns.size() * sizeof(bpf_insn));
  for (const auto &insn : insns)
    if (insn.code == (BPF_JMP | BPF_CALL) && insn.src_reg == BPF_PSEUDO_CALL) {
      verdict.message = "legacy fallback loader: bpf-to-bpf calls are not supported";
      return verdict;
    }

  for (const auto &[index, rel] : elf.sections()) {
    if (rel.header.sh_type != SHT_REL || rel.header.sh_info != function.sym.st_shndx)
      continue;
    for (size_t i = 0; rel.data && i < rel.data->d_size / sizeof(Elf64_Rel); ++i) {
      GElf_Rel entry;
      gelf_getrel(rel.data, static_cast<int>(i), &entry);
      if (entry.r_offset < begin || entry.r_offset >= end)
        continue;
      const auto map = map_fds.find(GELF_R_SYM(entry.r_info));
      if (map == map_fds.end()) {
        verdict.message = "legacy fallback loader: relocation against a non-map symbol";
        return verdict;
      }
      bpf_insn &insn = insns[(entry.r_offset - begin) / sizeof(bpf_insn)];
      insn.src_reg = BPF_PSEUDO_MAP_FD;
      insn.imm = map->second.get();
    }
  }

  std::string license = "GPL";
  if (const Section *lic = elf.find("license"); lic && lic->data && lic->data->d_size > 0)
    license.assign(static_cast<const char *>(lic->data->d_buf),
                   strnlen(static_cast<const char *>(lic->data->d_buf), lic->data->d_size));

  std::vector<char> log(size_t{16} << 20, '\0');
  LIBBPF_OPTS(bpf_prog_load_opts, opts, .log_level = static_cast<uint32_t>(options.log_level),
              .log_size = static_cast<uint32_t>(log.size()), .log_buf = log.data());
  std::unique_ptr<btf, BtfCloser> types(btf__parse_elf(path.c_str(), nullptr));
  bpf_func_info func_info{0, 0};
  std::vector<bpf_line_info> lines;
  if (types) {
    fix_datasecs(types.get(), elf);
    const int id = btf__find_by_name_kind(types.get(), function.name.c_str(), BTF_KIND_FUNC);
    lines = line_info_for(elf, types.get(), section.name, begin, end);
    if (id > 0 && !lines.empty() && lines.front().insn_off == 0 &&
        btf__load_into_kernel(types.get()) == 0) {
      func_info.type_id = static_cast<uint32_t>(id);
      opts.prog_btf_fd = static_cast<uint32_t>(btf__fd(types.get()));
      opts.func_info = &func_info;
      opts.func_info_cnt = 1;
      opts.func_info_rec_size = sizeof func_info;
      opts.line_info = lines.data();
      opts.line_info_cnt = static_cast<uint32_t>(lines.size());
      opts.line_info_rec_size = sizeof(bpf_line_info);
    }
  }
  int fd;
  {
    ScopedCapabilities caps(options.caps);
    fd = bpf_prog_load(*type, function.name.c_str(), license.c_str(), insns.data(), insns.size(),
                       &opts);
  }
  const int load_errno = errno;
  if (fd >= 0)
    close(fd);
  log.back() = '\0';
  const std::string text(log.data());
  if (options.verbose)
    fprintf(stderr, "---- %s %s: verifier log\n%s", path.c_str(), function.name.c_str(),
            text.c_str());
  const LogSummary summary = summarize_log(text);
  verdict.insns_processed = summary.insns_processed;
  if (fd >= 0) {
    verdict.verdict = "accepted";
  } else if (!summary.message.empty()) {
    verdict.verdict = "rejected";
    verdict.message = summary.message;
    verdict.line = summary.line;
  } else {
    verdict.message = std::string("BPF_PROG_LOAD: ") + strerror(load_errno);
  }
  return verdict;
}

} // namespace

std::vector<Verdict> load_legacy(const std::string &path, const Options &options) {
  ElfFile elf(path);
  if (!elf.ok() || !elf.find("maps"))
    return {{"", "unknown", "unloadable", -1, "legacy fallback loader: cannot read ELF", {}}};
  std::vector<Verdict> verdicts;
  for (const auto &symbol : elf.symbols()) {
    if (GELF_ST_TYPE(symbol.sym.st_info) != STT_FUNC || symbol.sym.st_size == 0)
      continue;
    const auto section = elf.sections().find(symbol.sym.st_shndx);
    if (section == elf.sections().end() || section->second.name == ".text" ||
        !(section->second.header.sh_flags & SHF_EXECINSTR) || !wanted(options, symbol.name))
      continue;
    // Fresh maps per program, as the libbpf path creates them per load.
    std::map<size_t, Fd> map_fds;
    std::string error;
    if (!create_maps(elf, map_fds, error)) {
      verdicts.push_back({symbol.name, "unknown", "unloadable", -1, error, {}});
      continue;
    }
    verdicts.push_back(load_program(elf, path, symbol, map_fds, options));
  }
  return verdicts;
}

} // namespace kernel_verdict
