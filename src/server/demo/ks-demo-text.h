/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-demo-text.h: the words of the demo data: titles, details, updates and the
 * reporters' identities, drawn from the report's own seed (so the same seed gives
 * the same words whatever order they are written in). */
#pragma once

#include "demo/ks-demo-plan.h"

G_BEGIN_DECLS

/* A small random stream of its own per report (or event). */

/* Text choices are made with a small generator seeded per report, so that the
 * text of a report can be written without replaying the plan. */
typedef struct { guint64 s; } KsDemoTextRand;

static inline guint64
ks_demo_tr_next (KsDemoTextRand *r)
{
  guint64 z = (r->s += G_GUINT64_CONSTANT (0x9e3779b97f4a7c15));
  z = (z ^ (z >> 30)) * G_GUINT64_CONSTANT (0xbf58476d1ce4e5b9);
  z = (z ^ (z >> 27)) * G_GUINT64_CONSTANT (0x94d049bb133111eb);
  return z ^ (z >> 31);
}

static inline guint
ks_demo_tr_int (KsDemoTextRand *r, guint n)
{
  return (guint) (ks_demo_tr_next (r) % n);
}

static inline gboolean
ks_demo_tr_chance (KsDemoTextRand *r, guint percent)
{
  return ks_demo_tr_int (r, 100) < percent;
}

static inline const char *
ks_demo_tr_pick (KsDemoTextRand *r, const char * const *pool)
{
  return pool[ks_demo_tr_int (r, ks_demo_pool_size (pool))];
}

static inline KsDemoTextRand
ks_demo_tr_init (guint32 seed, guint32 salt)
{
  KsDemoTextRand r = { ((guint64) seed << 32) ^ salt ^ G_GUINT64_CONSTANT (0x5deece66d) };
  ks_demo_tr_next (&r);
  return r;
}


/* Text */

typedef struct {
  const char *street;
  guint       num;
  guint       weeks;
  guint       lamp;
  const char *near;
} KsDemoTextContext;

typedef struct {
  char name[64];
  char email[96];
  char phone[16];
} KsDemoReporter;

/* The photo a report (or its update) shows: one of the demo photos that suits its
 * category when they were written, else a made-up address. */
const char *ks_demo_pick_photo (const KsDemoPlan *d, const KsDemoCategory *cat, guint64 pick, char *buf, gsize size);
/* Appends tmpl to out with its {street}, {num}, {weeks}, {lamp} and {near} filled in. */
void ks_demo_text_expand (GString *out, const char *tmpl, const KsDemoTextContext *ctx);
void ks_demo_text_context (const KsDemoReport *r, KsDemoTextRand *tr, KsDemoTextContext *ctx);
/* The reporter's identity, derived from the report's seed alone. */
void ks_demo_reporter_identity (const KsDemoReport *r, KsDemoReporter *out);
/* The texts an event's words are picked from; NULL when it has none. */
const char * const *ks_demo_event_pool (const KsDemoEvent *ev, const KsDemoCategory *cat);

G_END_DECLS
