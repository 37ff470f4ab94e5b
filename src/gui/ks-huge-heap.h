/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-huge-heap.h: the main thread's heap in transparent huge pages. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Once, on the main thread, before GTK starts: the main thread's heap grows
 * 64 MB at a time, asked for in transparent huge pages, and what is freed
 * stays in it for the next arrays rather than going back to the system.
 * Nothing is taken until written. Does nothing where the C library or the
 * system has no such thing. */
void ks_huge_heap_prepare (void);

G_END_DECLS
