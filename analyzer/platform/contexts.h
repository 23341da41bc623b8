// The context layouts defined by contexts_net.cpp and contexts_trace.cpp, for program_types.cpp
// to map program types onto. Internal to analyzer/platform.
#pragma once

#include "platform.h"

namespace bpfcheck::platform::detail {

extern const ContextLayout kSocketFilterLayout, kTcLayout, kCgroupSkbLayout, kLwtLayout,
    kSkSkbLayout, kFlowDissectorLayout, kXdpLayout, kSkMsgLayout, kSockOpsLayout, kSockLayout,
    kSockAddrLayout, kCgroupDevLayout, kSysctlLayout;
extern const ContextLayout kKprobeLayout, kTracepointLayout, kRawTracepointLayout,
    kRawTracepointWritableLayout, kPerfEventLayout;

} // namespace bpfcheck::platform::detail
