/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-huge-heap.h: the heaps that hold the reports, in transparent huge pages. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Once, on the main thread, before GTK and any other thread start: the main
 * thread's heap grows 64 MB at a time, asked for in transparent huge pages,
 * and what is freed stays in it for the next arrays rather than going back to
 * the system. Nothing is taken until written. Does nothing where the C library
 * or the system has no such thing. */
void ks_huge_heap_prepare (void);

/* On a worker thread that makes many small blocks (a cache's or a sync page's
 * reports), after one of them was malloc()ed there: the heap it came from is
 * asked for in huge pages too, once. Cheap enough to call for every block.
 * Pass a block from malloc() (a g_strdup()), not an object: GLib's slice
 * allocator hands out blocks that other threads freed, from their heaps.
 * Does nothing with NULL, or unless ks_huge_heap_prepare() took effect in this
 * process. */
void ks_huge_heap_follow (gconstpointer block);

G_END_DECLS
