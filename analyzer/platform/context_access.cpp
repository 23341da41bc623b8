// check_context_access: the decision the kernel's is_valid_access callbacks make for one load
// or store through the context pointer, read off the layout tables.
#include "platform.h"

namespace bpfcheck::platform {
namespace {

ContextAccess refuse(std::string_view reason, const ContextField *field = nullptr) {
  return ContextAccess{false, CtxValue::Scalar, field, reason};
}

ContextAccess check_raw(const ContextLayout &layout, std::int64_t offset, int size, bool write) {
  if (write && !layout.raw_writable)
    return refuse("the context of this program type is read-only");
  if (offset < layout.raw_min)
    return refuse("access before the first readable byte of the context");
  if ((layout.raw_widths & width_bit(size)) == 0)
    return refuse("access width not allowed on this context");
  return ContextAccess{true, CtxValue::Scalar, nullptr, {}};
}

} // namespace

ContextAccess check_context_access(ProgramType type, std::int64_t offset, int size, bool write,
                                   std::optional<std::uint32_t> expected_attach_type) {
  const ContextLayout *layout = context_layout(type);
  if (layout == nullptr)
    return refuse("no context layout known for this program type");
  if (width_bit(size) == 0)
    return refuse("access width must be 1, 2, 4 or 8 bytes");
  if (offset < 0 || offset + size > layout->size)
    return refuse("access outside the context struct");
  // Every context access is naturally aligned (the kernel's `off % size` test).
  if (offset % size != 0)
    return refuse("misaligned context access");
  if (layout->raw)
    return check_raw(*layout, offset, size, write);

  for (const ContextField &field : layout->fields) {
    if (offset < field.offset || offset >= field.offset + field.size)
      continue;
    const int extent = field.extent != 0 ? field.extent : field.size;
    if (offset + size > field.offset + extent)
      return refuse("access straddles two context fields", &field);
    if (field.attach_mask != 0 && (!expected_attach_type || *expected_attach_type >= 64 ||
                                   (field.attach_mask >> *expected_attach_type & 1) == 0))
      return refuse("field not available for this attach type", &field);
    if (field.narrow_at_start && offset != field.offset)
      return refuse("narrow loads of this field only at its first byte", &field);
    if (write) {
      if (field.write_widths == 0 || (field.writable_in & layout->variant) == 0)
        return refuse("context field is read-only for this program type", &field);
      if ((field.write_widths & width_bit(size)) == 0)
        return refuse("store width not allowed on this context field", &field);
      return ContextAccess{true, field.value, &field, {}};
    }
    if ((field.readable_in & layout->variant) == 0)
      return refuse("context field not readable by this program type", &field);
    if ((field.read_widths & width_bit(size)) == 0)
      return refuse(field.value == CtxValue::Scalar ? "load width not allowed on this field"
                                                    : "pointer fields need a full-width load",
                    &field);
    return ContextAccess{true, field.value, &field, {}};
  }
  return refuse("no context field at this offset (padding or reserved)");
}

} // namespace bpfcheck::platform
