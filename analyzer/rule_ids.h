// Every rule id the analyzer emits, in one list: the ids are part of the output contract (SARIF
// rules, CSV columns, corpus expectations), so code names them through these constants and tests
// can check the list against the catalogue in sarif/rules.cpp.
#pragma once

#include <span>
#include <string_view>

namespace bpfcheck::analyzer::rule {

inline constexpr std::string_view kUninitializedRegister = "uninitialized-register";
inline constexpr std::string_view kMixedRegisterTypes = "mixed-register-types";
inline constexpr std::string_view kFramePointerWrite = "frame-pointer-write";
inline constexpr std::string_view kPointerArithmetic = "pointer-arithmetic";
inline constexpr std::string_view kStackOutOfBounds = "stack-out-of-bounds";
inline constexpr std::string_view kMisalignedAccess = "misaligned-access";
inline constexpr std::string_view kUninitializedStackRead = "uninitialized-stack-read";
inline constexpr std::string_view kInvalidStackRead = "invalid-stack-read";
inline constexpr std::string_view kPacketOutOfBounds = "packet-out-of-bounds";
inline constexpr std::string_view kReadOnlyWrite = "read-only-write";
inline constexpr std::string_view kContextAccess = "context-access";
inline constexpr std::string_view kNullDereference = "null-dereference";
inline constexpr std::string_view kMapValueOutOfBounds = "map-value-out-of-bounds";
inline constexpr std::string_view kMemoryOutOfBounds = "memory-out-of-bounds";
inline constexpr std::string_view kInvalidMemoryAccess = "invalid-memory-access";
inline constexpr std::string_view kBadReturnValue = "bad-return-value";
inline constexpr std::string_view kUnknownHelper = "unknown-helper";
inline constexpr std::string_view kHelperNotAllowed = "helper-not-allowed";
inline constexpr std::string_view kHelperArgument = "helper-argument";
inline constexpr std::string_view kReferenceLeak = "reference-leak";
inline constexpr std::string_view kUnboundedLoop = "unbounded-loop";
inline constexpr std::string_view kUnreachableCode = "unreachable-code";
inline constexpr std::string_view kUnsupportedFeature = "unsupported-feature";
// The loader (libbpf) would hand the kernel another instruction than the object means.
inline constexpr std::string_view kLoaderMismatch = "loader-mismatch";
inline constexpr std::string_view kProgramTooComplex =
    "program-too-complex"; // call depth, recursion

inline constexpr std::string_view kAll[] = {
    kUninitializedRegister, kMixedRegisterTypes, kFramePointerWrite,      kPointerArithmetic,
    kStackOutOfBounds,      kMisalignedAccess,   kUninitializedStackRead, kInvalidStackRead,
    kPacketOutOfBounds,     kReadOnlyWrite,      kContextAccess,          kNullDereference,
    kMapValueOutOfBounds,   kMemoryOutOfBounds,  kInvalidMemoryAccess,    kBadReturnValue,
    kUnknownHelper,         kHelperNotAllowed,   kHelperArgument,         kReferenceLeak,
    kUnboundedLoop,         kUnreachableCode,    kUnsupportedFeature,     kProgramTooComplex,
    kLoaderMismatch,
};

constexpr std::span<const std::string_view> all_rule_ids() { return kAll; }

} // namespace bpfcheck::analyzer::rule
