# Test sources of analyzer/platform, included by tests/analyzer/CMakeLists.txt (owned elsewhere).
# BPFCHECK_PLATFORM_TEST_MAIN is a doctest main for a stand-alone executable; leave it out when
# the suite is linked into an executable that has its own. kernel_agreement_test.cpp needs
# libbpf (pkg-config libbpf); it skips itself unless root with /sys/kernel/btf/vmlinux.
set(BPFCHECK_PLATFORM_TEST_MAIN ${CMAKE_CURRENT_LIST_DIR}/main.cpp)
set(BPFCHECK_PLATFORM_TEST_SOURCES
    ${CMAKE_CURRENT_LIST_DIR}/helpers_test.cpp
    ${CMAKE_CURRENT_LIST_DIR}/contexts_test.cpp
    ${CMAKE_CURRENT_LIST_DIR}/context_access_test.cpp
    ${CMAKE_CURRENT_LIST_DIR}/permissions_test.cpp
    ${CMAKE_CURRENT_LIST_DIR}/kernel_loader.cpp
    ${CMAKE_CURRENT_LIST_DIR}/kernel_agreement_test.cpp
    ${CMAKE_CURRENT_LIST_DIR}/kernel_arguments_test.cpp)
