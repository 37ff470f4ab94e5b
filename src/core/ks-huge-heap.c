/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-huge-heap.c: the heaps that hold the reports, in transparent huge pages.
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
 * and the window's arrays are made, and the heaps of the threads that read the
 * cache and the sync's pages, where the reports are made: with 500,000 cached
 * reports, a quarter of the reading thread's time went in page faults, and
 * with its heaps in huge pages the app showed them in about 1.0 s, not 1.8. */
#include "config.h"

#include "ks-huge-heap.h"

#include <stdlib.h>
#include <unistd.h>
#ifdef __GLIBC__
#include <malloc.h>
#include <sys/mman.h>
#endif

#define HEAP_STEP (64 * 1024 * 1024)

/* glibc gives a thread other than the main one heaps of its own, each
 * 2 * DEFAULT_MMAP_THRESHOLD_MAX (64 MB on a 64-bit system) and aligned to
 * that size, so that the heap of a block is its address rounded down. The
 * whole size is mapped, and with prepare's top pad made writable at once. */
#define THREAD_HEAP_SIZE ((guintptr) 2 * 4 * 1024 * 1024 * sizeof (long))

/* The heaps a thread last asked for (0: none), so that a block from the same
 * heap as the one before costs a comparison. */
#define RECENT_HEAPS 8
static __thread guintptr recent[RECENT_HEAPS];
static __thread guint recent_next;

/* Set on the main thread before any other thread starts; only read after. */
static gboolean prepared;

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
    prepared = madvise ((gpointer) from, to - from, MADV_HUGEPAGE) == 0;
  free (first);
#endif
}

void
ks_huge_heap_follow (gconstpointer block)
{
#if defined (__GLIBC__) && defined (MADV_HUGEPAGE)
  guintptr heap = (guintptr) block & ~(THREAD_HEAP_SIZE - 1);

  if (!prepared || heap == 0 ||
      heap == recent[(recent_next + RECENT_HEAPS - 1) % RECENT_HEAPS])
    return;
  for (guint i = 0; i < RECENT_HEAPS; i++)
    if (recent[i] == heap)
      return;
  recent[recent_next] = heap;
  recent_next = (recent_next + 1) % RECENT_HEAPS;
  /* Below the break: the main thread's heap, which prepare has seen to. */
  if ((guintptr) block < (guintptr) sbrk (0))
    return;
  madvise ((gpointer) heap, THREAD_HEAP_SIZE, MADV_HUGEPAGE);
#endif
}
