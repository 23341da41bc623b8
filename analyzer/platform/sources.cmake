# Sources of analyzer/platform, included by analyzer/CMakeLists.txt (owned elsewhere).
set(BPFCHECK_PLATFORM_SOURCES
    ${CMAKE_CURRENT_LIST_DIR}/helpers.cpp
    ${CMAKE_CURRENT_LIST_DIR}/helpers_map.cpp
    ${CMAKE_CURRENT_LIST_DIR}/helpers_trace.cpp
    ${CMAKE_CURRENT_LIST_DIR}/helpers_skb.cpp
    ${CMAKE_CURRENT_LIST_DIR}/helpers_xdp.cpp
    ${CMAKE_CURRENT_LIST_DIR}/helpers_sock.cpp
    ${CMAKE_CURRENT_LIST_DIR}/helpers_misc.cpp
    ${CMAKE_CURRENT_LIST_DIR}/helpers_variants.cpp
    ${CMAKE_CURRENT_LIST_DIR}/contexts_net.cpp
    ${CMAKE_CURRENT_LIST_DIR}/contexts_trace.cpp
    ${CMAKE_CURRENT_LIST_DIR}/context_access.cpp
    ${CMAKE_CURRENT_LIST_DIR}/program_types.cpp
    ${CMAKE_CURRENT_LIST_DIR}/permissions.cpp)
