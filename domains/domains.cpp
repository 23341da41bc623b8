// Compile-time checks that each domain meets the AbstractDomain contract.
#include "domains/domain.h"
#include "domains/scalar.h"
#include "domains/zone.h"

namespace bpfcheck::domains {

static_assert(AbstractDomain<Tnum<64>>);
static_assert(AbstractDomain<Tnum<32>>);
static_assert(AbstractDomain<WInterval<64>>);
static_assert(AbstractDomain<Interval<64>>);
static_assert(AbstractDomain<Scalar64>);
static_assert(AbstractDomain<Zone>);

} // namespace bpfcheck::domains
