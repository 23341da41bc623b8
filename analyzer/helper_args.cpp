// Reading a helper prototype's arguments against the registers of a call.
#include "analyzer/helper_args.h"

namespace bpfcheck::analyzer {

using platform::ArgKind;

std::string helper_name(const platform::HelperPrototype &p) { return "bpf_" + std::string(p.name); }

const MapDescriptor *call_map(const platform::HelperPrototype &p, const State &s,
                              const AnalysisContext &c) {
  for (unsigned i = 0; i < p.args.size(); ++i)
    if (p.args[i].kind == ArgKind::ConstMapPtr) {
      const RegValue &v = s.reg(i + 1);
      if (v.type == RegType::MapPtr && v.region < c.maps.size())
        return &c.maps[v.region];
      return nullptr;
    }
  return nullptr;
}

std::optional<MemArg> memory_argument(const platform::HelperPrototype &p, unsigned i,
                                      const State &s, const AnalysisContext &c) {
  const platform::Arg &a = p.args[i];
  MemArg m{i + 1};
  m.nullable = (a.flags & platform::kMaybeNull) != 0;
  const MapDescriptor *map = call_map(p, s, c);
  switch (a.kind) {
  case ArgKind::PtrToMapKey:
  case ArgKind::PtrToMapValue:
  case ArgKind::PtrToUninitMapValue: {
    if (!map)
      return std::nullopt;
    m.min_size = m.max_size = a.kind == ArgKind::PtrToMapKey ? map->key_size : map->value_size;
    m.reads = a.kind != ArgKind::PtrToUninitMapValue;
    m.writes = m.must_write = a.kind == ArgKind::PtrToUninitMapValue;
    return m;
  }
  case ArgKind::PtrToMem:
  case ArgKind::PtrToLong:
  case ArgKind::PtrToInt:
    break;
  default:
    return std::nullopt;
  }
  m.reads = (a.flags & platform::kUninit) == 0;
  m.writes = (a.flags & platform::kReadonly) == 0;
  m.must_write = (a.flags & platform::kUninit) != 0;
  if ((a.flags & platform::kFixedSize) != 0 || a.kind != ArgKind::PtrToMem) {
    m.min_size = m.max_size = a.fixed_size;
    return m;
  }
  if (i + 1 >= p.args.size())
    return std::nullopt;
  const RegValue &size = s.reg(i + 2);
  if (size.type != RegType::Scalar || size.num.smin() < 0)
    return std::nullopt;
  m.min_size = size.num.umin();
  m.max_size = size.num.umax();
  return m;
}

} // namespace bpfcheck::analyzer
