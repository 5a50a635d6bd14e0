// glibc's malloc tuning (mallopt and its parameters), which the Glibc module does not bring in.
#ifndef CMALLOC_SHIM_H
#define CMALLOC_SHIM_H
#include <malloc.h>

/// M_MMAP_THRESHOLD is a macro; this constant makes it visible to Swift.
static const int cmalloc_mmap_threshold = M_MMAP_THRESHOLD;
#endif
