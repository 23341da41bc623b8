// The bpfcheck executable's global operator new and delete: malloc and free, counted through
// heap_meter.h with malloc_usable_size so that a release subtracts exactly what was added.
// Every non-aligned form is replaced, the nothrow ones too (std::stable_sort's temporary buffer
// uses them): a block from another allocator must never reach our delete (ASan reports that).
#include "heap_meter.h"

#include <cstdlib>
#include <malloc.h>
#include <new>

void *operator new(std::size_t size) {
  void *block = std::malloc(size == 0 ? 1 : size);
  if (block == nullptr)
    throw std::bad_alloc();
  bpfcheck::cli::heap::note_allocation(malloc_usable_size(block));
  return block;
}

void *operator new[](std::size_t size) { return ::operator new(size); }

void *operator new(std::size_t size, const std::nothrow_t &) noexcept {
  try {
    return ::operator new(size);
  } catch (const std::bad_alloc &) {
    return nullptr;
  }
}

void *operator new[](std::size_t size, const std::nothrow_t &tag) noexcept {
  return ::operator new(size, tag);
}

void operator delete(void *block) noexcept {
  if (block == nullptr)
    return;
  bpfcheck::cli::heap::note_release(malloc_usable_size(block));
  std::free(block);
}

void operator delete[](void *block) noexcept { ::operator delete(block); }
void operator delete(void *block, std::size_t) noexcept { ::operator delete(block); }
void operator delete[](void *block, std::size_t) noexcept { ::operator delete(block); }
void operator delete(void *block, const std::nothrow_t &) noexcept { ::operator delete(block); }
void operator delete[](void *block, const std::nothrow_t &) noexcept { ::operator delete(block); }
