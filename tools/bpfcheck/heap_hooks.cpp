// The bpfcheck executable's global operator new and delete: malloc and free, counted through
// heap_meter.h with malloc_usable_size so that a release subtracts exactly what was added.
// Linked into the executable only: sanitizer and fuzzing builds keep their own allocators.
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

void operator delete(void *block) noexcept {
  if (block == nullptr)
    return;
  bpfcheck::cli::heap::note_release(malloc_usable_size(block));
  std::free(block);
}

void operator delete[](void *block) noexcept { ::operator delete(block); }
void operator delete(void *block, std::size_t) noexcept { ::operator delete(block); }
void operator delete[](void *block, std::size_t) noexcept { ::operator delete(block); }
