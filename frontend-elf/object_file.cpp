// STUB: being implemented (ELF loader helper). Replace wholesale.
#include "object_file.h"
namespace bpfcheck {
std::string LoadDiagnostic::to_string() const { return file + ": " + section + ": " + message; }
Result<ObjectFile> load_object(std::span<const std::uint8_t>, const std::string &name) {
  return Error{name + ": ELF loading is not implemented yet"};
}
Result<ObjectFile> load_object(const std::string &path) { return Error{path + ": not implemented"}; }
} // namespace bpfcheck
