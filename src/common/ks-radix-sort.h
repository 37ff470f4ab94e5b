/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-radix-sort.h: a stable sort of (key, place) pairs by their 64-bit key. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* An item to sort: its key, and where it came from (the caller's index). */
typedef struct {
  guint64 key;
  guint   place;
} KsRadixItem;

/* Sorts items[0..n) by key, stably (equal keys keep their order), using room
 * (n items more) to work in. Returns the array that holds the result: items
 * or room. */
KsRadixItem *ks_radix_sort (KsRadixItem *items, KsRadixItem *room, guint n);

/* How many bits v needs: 0 for 0, 64 when its top bit is set. */
static inline guint
ks_radix_bits_of (guint64 v)
{
  return v != 0 ? 64 - (guint) __builtin_clzll (v) : 0;
}

G_END_DECLS
