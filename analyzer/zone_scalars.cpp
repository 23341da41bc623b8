// Scalars and loop counters in the zone. The zone reasons over mathematical integers, so every
// update here first checks that the machine operation cannot wrap at its width; otherwise the
// variable is only re-bounded from its interval (State::set_reg), which drops its relations.
#include "analyzer/zone_scalars.h"

#include <algorithm>

namespace bpfcheck::analyzer {
namespace {

using domains::Zone;
using Var = Zone::Var;

constexpr std::int64_t kU32Max = 0xffffffff;

bool fits_u32(const Scalar64 &v) { return v.smin() >= 0 && v.smax() <= kU32Max; }
bool fits_s32(const Scalar64 &v) { return v.smin() >= INT32_MIN && v.smax() <= INT32_MAX; }

// The range [lo, hi] of the amount added to the old value, or false when old + delta may leave
// the range where the operation is the mathematical sum (int64 for ALU64, [0, 2^32) for ALU32).
bool exact_delta(const Scalar64 &old, const Scalar64 &src, bool subtract, bool is64,
                 std::int64_t &lo, std::int64_t &hi) {
  lo = is64 ? src.smin() : src.smin32();
  hi = is64 ? src.smax() : src.smax32();
  if (subtract) {
    if (lo == INT64_MIN)
      return false;
    std::int64_t negated_hi = -lo;
    lo = -hi;
    hi = negated_hi;
  }
  std::int64_t min, max;
  if (lo == INT64_MIN || __builtin_add_overflow(old.smin(), lo, &min) ||
      __builtin_add_overflow(old.smax(), hi, &max))
    return false;
  return is64 || (fits_u32(old) && min >= 0 && max <= kU32Max);
}

Condition negate(Condition c) {
  switch (c) {
  case Condition::Eq:
    return Condition::Ne;
  case Condition::Ne:
    return Condition::Eq;
  case Condition::Gt:
    return Condition::Le;
  case Condition::Ge:
    return Condition::Lt;
  case Condition::Lt:
    return Condition::Ge;
  case Condition::Le:
    return Condition::Gt;
  case Condition::SGt:
    return Condition::SLe;
  case Condition::SGe:
    return Condition::SLt;
  case Condition::SLt:
    return Condition::SGe;
  case Condition::SLe:
    return Condition::SGt;
  case Condition::Set:
    break;
  }
  return Condition::Set;
}

// Whether comparing the registers at this width and signedness orders their zone values (their
// signed 64-bit values) the same way.
bool comparable(Condition c, bool is64, const Scalar64 &a, const Scalar64 &b) {
  bool is_signed =
      c == Condition::SGt || c == Condition::SGe || c == Condition::SLt || c == Condition::SLe;
  bool fit_u32 = fits_u32(a) && fits_u32(b), fit_s32 = fits_s32(a) && fits_s32(b);
  if (is_signed)
    return is64 || fit_s32;
  if (c == Condition::Eq)
    return is64 || fit_u32 || fit_s32;
  if (is64) // unsigned order is signed order when both have the same sign
    return (a.smin() >= 0 && b.smin() >= 0) || (a.smax() < 0 && b.smax() < 0);
  return fit_u32;
}

// The zone's bounds of a register given back to its interval.
void reduce_from_zone(State &s, unsigned r) {
  const Zone &z = s.zone();
  auto lo = z.lower(zvar::reg(r)), hi = z.upper(zvar::reg(r));
  if (!lo && !hi)
    return;
  Scalar64 met =
      s.reg(r).num.meet(Scalar64::srange(lo.value_or(INT64_MIN), hi.value_or(INT64_MAX)));
  if (met.is_bottom())
    return s.set_bottom();
  s.reg_mut(r).num = met;
}

// The variables that may carry relations: scalars and packet positions.
template <typename F> void for_each_tracked_var(const State &s, F f) {
  for (unsigned r = 0; r < State::kRegisters; ++r)
    if (s.reg(r).type == RegType::Scalar || s.reg(r).type == RegType::Packet)
      f(zvar::reg(r));
  for (int slot = 0; slot < Stack::kSlots; ++slot)
    if (const RegValue *v = s.stack().spill_at(slot * 8 - Stack::kSize);
        v && (v->type == RegType::Scalar || v->type == RegType::Packet))
      f(zvar::slot(slot));
  f(zvar::kPacketSize);
}

// x - y <= max(a's bound, b's bound) in `joined`, when both sides know a bound and the join
// lost it (both sides only implied it through constants).
void recover(const Zone &a, const Zone &b, Zone &joined, Var x, Var y) {
  auto wa = a.diff_upper(x, y);
  if (!wa)
    return;
  auto wb = b.diff_upper(x, y);
  if (!wb)
    return;
  Zone::Weight w = std::max(*wa, *wb);
  if (auto now = joined.diff_upper(x, y); !now || *now > w)
    joined.assume_diff(x, y, w);
}

} // namespace

void bound_in_zone(Zone &zone, Var var, const Scalar64 &value) {
  if (value.is_bottom())
    return;
  if (std::int64_t lo = value.smin(); lo != INT64_MIN)
    zone.assume_lower(var, lo);
  if (std::int64_t hi = value.smax(); hi != INT64_MAX)
    zone.assume_upper(var, hi);
}

void bound_all_scalars(State &s) {
  for (unsigned r = 0; r < State::kRegisters; ++r)
    if (s.reg(r).type == RegType::Scalar)
      bound_in_zone(s.zone(), zvar::reg(r), s.reg(r).num);
  for (int slot = 0; slot < Stack::kSlots; ++slot)
    if (const RegValue *v = s.stack().spill_at(slot * 8 - Stack::kSize);
        v && v->type == RegType::Scalar)
      bound_in_zone(s.zone(), zvar::slot(slot), v->num);
  if (s.zone().is_bottom())
    s.set_bottom();
}

bool in_loop(const State &s) { return s.zone().lower(zvar::counter(0)).has_value(); }

bool zone_add_sub(State &s, unsigned dst, const Scalar64 &old, const Scalar64 &src, bool subtract,
                  bool is64, const Scalar64 &result) {
  std::int64_t lo, hi;
  if (!exact_delta(old, src, subtract, is64, lo, hi))
    return false;
  Zone &z = s.zone();
  Var d = zvar::reg(dst);
  if (lo == hi) {
    z.assign_add_constant(d, d, lo); // translates d's relations: no new edge
  } else {
    if (!in_loop(s)) // a relation only a loop needs
      return false;
    z.assign_var(zvar::kScratch, d);
    z.forget(d);
    z.assume_diff(d, zvar::kScratch, hi);
    z.assume_diff(zvar::kScratch, d, -lo);
    z.forget(zvar::kScratch);
  }
  s.reg_mut(dst) = RegValue::scalar(result);
  bound_in_zone(z, d, result);
  if (z.is_bottom())
    s.set_bottom();
  return true;
}

void zone_copy_scalar(State &s, unsigned dst, unsigned src, bool is64) {
  if (!in_loop(s) || (!is64 && !fits_u32(s.reg(src).num)))
    return; // State::set_reg has bounded dst already
  s.zone().assign_var(zvar::reg(dst), zvar::reg(src));
  bound_in_zone(s.zone(), zvar::reg(dst), s.reg(dst).num);
}

void zone_spill_scalar(State &s, Var slot_var, const Reg *src, const Scalar64 &value) {
  if (src && in_loop(s))
    s.zone().assign_var(slot_var, zvar::reg(src->number));
  bound_in_zone(s.zone(), slot_var, value);
}

void zone_fill_scalar(State &s, unsigned dst, Var slot_var) {
  if (!in_loop(s))
    return; // State::set_reg has bounded dst already
  s.zone().assign_var(zvar::reg(dst), slot_var);
  bound_in_zone(s.zone(), zvar::reg(dst), s.reg(dst).num);
}

void zone_compare(State &s, Condition cond, bool is64, bool taken, unsigned left, unsigned right) {
  Zone &z = s.zone();
  bound_in_zone(z, zvar::reg(left), s.reg(left).num);
  bound_in_zone(z, zvar::reg(right), s.reg(right).num);
  Condition c = taken ? cond : negate(cond);
  if (in_loop(s) && !z.is_bottom() && comparable(c, is64, s.reg(left).num, s.reg(right).num)) {
    Var l = zvar::reg(left), r = zvar::reg(right);
    switch (c) {
    case Condition::Lt:
    case Condition::SLt:
      z.assume_diff(l, r, -1);
      break;
    case Condition::Le:
    case Condition::SLe:
      z.assume_diff(l, r, 0);
      break;
    case Condition::Gt:
    case Condition::SGt:
      z.assume_diff(r, l, -1);
      break;
    case Condition::Ge:
    case Condition::SGe:
      z.assume_diff(r, l, 0);
      break;
    case Condition::Eq:
      z.assume_eq_diff(l, r, 0);
      break;
    default:
      break;
    }
  }
  if (z.is_bottom())
    return s.set_bottom();
  reduce_from_zone(s, left);
  if (!s.is_bottom())
    reduce_from_zone(s, right);
}

void reduce_registers(State &s) {
  if (!in_loop(s))
    return;
  for (unsigned r = 0; r < State::kRegisters && !s.is_bottom(); ++r)
    if (s.reg(r).type == RegType::Scalar || s.reg(r).type == RegType::Packet)
      reduce_from_zone(s, r);
}

void enter_loop(State &s, unsigned index) {
  s.zone().assign_interval(zvar::counter(index), 0, 0);
  s.zone().assign_interval(zvar::counter_neg(index), 0, 0);
}

void iterate_loop(State &s, unsigned index) {
  s.zone().assign_add_constant(zvar::counter(index), zvar::counter(index), 1);
  s.zone().assign_add_constant(zvar::counter_neg(index), zvar::counter_neg(index), -1);
}

void leave_loops(State &s, unsigned from_index, unsigned to_index) {
  for (unsigned k = from_index; k < to_index; ++k) {
    s.zone().forget(zvar::counter(k));
    s.zone().forget(zvar::counter_neg(k));
  }
}

unsigned live_counters(const State &s) {
  unsigned k = 0; // a live counter is never negative: its lower bound 0 survives every step
  while (s.zone().lower(zvar::counter(k)))
    ++k;
  return k;
}

std::optional<std::int64_t> counter_bound(const State &state, unsigned index) {
  State s = state;
  bound_all_scalars(s);
  if (s.is_bottom())
    return 0;
  // Widened zones are not closed: close a copy by imposing its constraints one by one.
  Zone closed = Zone::top().meet(s.zone());
  if (closed.is_bottom())
    return 0;
  auto up = closed.upper(zvar::counter(index));
  auto down = closed.lower(zvar::counter_neg(index));
  if (down && *down != INT64_MIN && (!up || -*down < *up))
    up = -*down;
  return up;
}

void recover_counter_relations(const Zone &a, const Zone &b, State &joined) {
  Zone &z = joined.zone();
  for (unsigned k = 0; a.lower(zvar::counter(k)) && b.lower(zvar::counter(k)); ++k) {
    for (Var c : {zvar::counter(k), zvar::counter_neg(k)})
      for_each_tracked_var(joined, [&](Var x) {
        recover(a, b, z, c, x);
        recover(a, b, z, x, c);
      });
  }
  if (z.is_bottom())
    joined.set_bottom();
}

} // namespace bpfcheck::analyzer
