/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-huge-bytes.c: big write-once buffers in their own mappings, in
 * transparent huge pages where the system has them (madvise mode).
 *
 * Written here rather than left to malloc: glibc maps a big block in 4 KB
 * pages unless the process was started with its hugetlb tunable, which an
 * app cannot set for itself once running. */
#define G_LOG_DOMAIN "ks-huge-bytes"

#include "ks-huge-bytes.h"

#include <sys/mman.h>

#define HUGE_PAGE ((gsize) 2 * 1024 * 1024)

typedef struct {
  gpointer mem;
  gsize    size;   /* mapped */
} Mapping;

static gsize
round_up (gsize n)
{
  return (n + HUGE_PAGE - 1) / HUGE_PAGE * HUGE_PAGE;
}

gpointer
ks_huge_bytes_alloc (gsize size)
{
  gsize want, over;
  guint8 *map, *start;

  g_return_val_if_fail (size >= KS_HUGE_BYTES_MIN, NULL);
  want = round_up (size);
  /* One huge page more, to start on a 2 MB boundary; the ends are unmapped. */
  over = want + HUGE_PAGE;
  map = mmap (NULL, over, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (map == MAP_FAILED)
    return NULL;
  start = (guint8 *) round_up ((gsize) map);
  if (start > map)
    munmap (map, (gsize) (start - map));
  if (map + over > start + want)
    munmap (start + want, (gsize) (map + over - (start + want)));
  /* Where huge pages are off, or madvise is not theirs to give, the buffer is
   * still good: in small pages. */
  (void) madvise (start, want, MADV_HUGEPAGE);
  return start;
}

void
ks_huge_bytes_free (gpointer mem,
                    gsize    size)
{
  if (mem != NULL)
    munmap (mem, round_up (size));
}

static void
mapping_free (gpointer data)
{
  Mapping *m = data;

  munmap (m->mem, m->size);
  g_free (m);
}

GBytes *
ks_huge_bytes_take (gpointer mem,
                    gsize    size,
                    gsize    len)
{
  gsize keep = MAX (round_up (len), HUGE_PAGE);
  Mapping *m;

  g_return_val_if_fail (len <= size, NULL);
  m = g_new (Mapping, 1);
  if (keep < round_up (size))
    munmap ((guint8 *) mem + keep, round_up (size) - keep);
  m->mem = mem;
  m->size = keep;
  return g_bytes_new_with_free_func (mem, len, mapping_free, m);
}
