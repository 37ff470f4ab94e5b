/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-huge-bytes.h: buffers of many megabytes written once, in 2 MB pages. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Below this, a buffer is not worth a mapping of its own. */
#define KS_HUGE_BYTES_MIN (4 * 1024 * 1024)

/* Room for size bytes (at least KS_HUGE_BYTES_MIN), mapped on its own and
 * asked for in transparent huge pages: the first write to each 4 KB page of
 * fresh memory costs a page fault, 4,096 of them for 16 MB, and a 2 MB page
 * takes one fault for 512 of them. Memory is only taken where it is written.
 * NULL if the system gives no such mapping (use g_malloc instead). Give it
 * back with ks_huge_bytes_free() or make it the bytes of a GBytes with
 * ks_huge_bytes_take(). */
gpointer ks_huge_bytes_alloc (gsize size);

void     ks_huge_bytes_free  (gpointer mem,
                              gsize    size);

/* The first len bytes of mem (from ks_huge_bytes_alloc (size)) as a GBytes
 * that unmaps them when freed; the room after them is given back now. */
GBytes  *ks_huge_bytes_take  (gpointer mem,
                              gsize    size,
                              gsize    len);

G_END_DECLS
