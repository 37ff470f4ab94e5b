/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-huge-heap.c: the main thread's heap in transparent huge pages.
 *
 * With 100,000 cached reports, the start and every filter make arrays of
 * hundreds of kilobytes to megabytes (the order, the result, the map's points,
 * the sort's room), and glibc's malloc gives each one fresh memory mapped on
 * its own and unmaps it when freed: the first write to each 4 KB page of it
 * is a page fault, at every change. Here the heap takes them instead (below
 * 32 MB), freed room is kept for the next ones, and the heap's next 64 MB are
 * asked for in 2 MB pages (one fault for 512 pages) where the system gives
 * them on request (transparent_hugepage = madvise, Debian's default).
 *
 * glibc can do this itself for every heap (glibc.malloc.hugetlb), but only
 * by a tunable read when the program starts; starting the app again for it
 * cost 28 ms a start. This covers the main thread's heap, where the filter's
 * and the window's arrays are made. */
#include "config.h"

#include "ks-huge-heap.h"

#include <stdlib.h>
#include <unistd.h>
#ifdef __GLIBC__
#include <malloc.h>
#include <sys/mman.h>
#endif

#define HEAP_STEP (64 * 1024 * 1024)

void
ks_huge_heap_prepare (void)
{
#if defined (__GLIBC__) && defined (MADV_HUGEPAGE)
  gpointer first;
  guintptr from, to;
  long page = sysconf (_SC_PAGESIZE);

  if (page <= 0 ||
      !mallopt (M_MMAP_THRESHOLD, 32 * 1024 * 1024) ||
      !mallopt (M_TRIM_THRESHOLD, 2 * HEAP_STEP) ||
      !mallopt (M_TOP_PAD, HEAP_STEP))
    return;
  /* A block from the heap grows it by the step; the heap then runs from
   * about there to the break. (Another allocator, say a sanitizer's, gives
   * it from elsewhere: then there is no such range.) */
  if ((first = malloc (1024 * 1024)) == NULL)
    return;
  from = ((guintptr) first + page - 1) & ~(guintptr) (page - 1);
  to = (guintptr) sbrk (0);
  if (to > from && to - from <= 2 * (guintptr) HEAP_STEP)
    madvise ((gpointer) from, to - from, MADV_HUGEPAGE);
  free (first);
#endif
}
