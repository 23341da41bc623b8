// Shorthands for the helper tables: one name per kernel argument kind so that each table row
// reads like the kernel's bpf_func_proto it transcribes. Internal to analyzer/platform.
#pragma once

#include "platform.h"

namespace bpfcheck::platform::detail {

constexpr Arg kMap{ArgKind::ConstMapPtr};
constexpr Arg kKey{ArgKind::PtrToMapKey};
constexpr Arg kValue{ArgKind::PtrToMapValue};
constexpr Arg kValueOrNull{ArgKind::PtrToMapValue, kMaybeNull};
constexpr Arg kUninitValue{ArgKind::PtrToUninitMapValue};
constexpr Arg kAny{ArgKind::Anything};
constexpr Arg kCtx{ArgKind::PtrToCtx};
constexpr Arg kCtxOrNull{ArgKind::PtrToCtx, kMaybeNull};
constexpr Arg kMemRo{ArgKind::PtrToMem, kReadonly};
// NULL memory is accepted only together with a zero size (the verifier checks the pair).
constexpr Arg kMemRoOrNull{ArgKind::PtrToMem, kReadonly | kMaybeNull};
constexpr Arg kMemUninit{ArgKind::PtrToMem, kUninit};
constexpr Arg kMemUninitOrNull{ArgKind::PtrToMem, kUninit | kMaybeNull};
constexpr Arg kMem{ArgKind::PtrToMem};
constexpr Arg kSize{ArgKind::ConstSize};
constexpr Arg kSizeOrZero{ArgKind::ConstSizeOrZero};
constexpr Arg kAllocSize{ArgKind::ConstAllocSizeOrZero};
constexpr Arg kSockCommon{ArgKind::PtrToSockCommon};
constexpr Arg kBtfSockCommon{ArgKind::PtrToBtfIdSockCommon};
constexpr Arg kBtfSockCommonOrNull{ArgKind::PtrToBtfIdSockCommon, kMaybeNull};
constexpr Arg kBtfSockCommonRelease{ArgKind::PtrToBtfIdSockCommon, kRelease};
constexpr Arg kBtf{ArgKind::PtrToBtfId};
constexpr Arg kBtfOrNull{ArgKind::PtrToBtfId, kMaybeNull};
constexpr Arg kPercpuBtf{ArgKind::PtrToPercpuBtfId};
constexpr Arg kRingbufRelease{ArgKind::PtrToRingbufMem, kRelease};
constexpr Arg kFunc{ArgKind::PtrToFunc};
constexpr Arg kStackOrNull{ArgKind::PtrToStack, kMaybeNull};
constexpr Arg kLong{ArgKind::PtrToLong, kUninit | kFixedSize, 8};
constexpr Arg kInt{ArgKind::PtrToInt, kFixedSize, 4};
constexpr Arg kConstStr{ArgKind::PtrToConstStr};
constexpr Arg kTimer{ArgKind::PtrToTimer};
constexpr Arg kSpinLock{ArgKind::PtrToSpinLock};
constexpr Arg kDynptr{ArgKind::PtrToDynptr, kReadonly};
constexpr Arg kDynptrUninit{ArgKind::PtrToDynptr, kUninit};
constexpr Arg kDynptrRelease{ArgKind::PtrToDynptr, kRelease};
constexpr Arg kKptr{ArgKind::PtrToKptr};

constexpr Arg fixed_mem_ro(std::uint8_t bytes) {
  return Arg{ArgKind::PtrToMem, kReadonly | kFixedSize, bytes};
}

// Integer results documented as "0 on success, or a negative error in case of failure".
constexpr std::int64_t kMaxErrno = 4095;

} // namespace bpfcheck::platform::detail
