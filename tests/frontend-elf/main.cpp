// doctest's main for frontend_elf_tests (every *_test.cpp of this folder links into it).
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>
