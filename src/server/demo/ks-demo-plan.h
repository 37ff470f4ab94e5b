/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-demo-plan.h: the demo data set planned in memory before it is written:
 * every report and its timeline of events (all the random choices, from one
 * GRand), numbered in the order they happened. The SQLite demo writer reads it. */
#pragma once

#include "demo/ks-demo.h"
#include "demo/ks-demo-data.h"
#include "demo/ks-demo-photos.h"

G_BEGIN_DECLS

#define DAY   ((gint64) 86400)
#define SPAN  (730 * DAY)
#define DEMO_SLUG "oxford"

enum { SOURCE_WEB, SOURCE_OPEN311, SOURCE_STAFF };

/* The states the demo uses, checked against ks-states.c at start. */
enum {
  ST_UNCONFIRMED, ST_HIDDEN, ST_CONFIRMED, ST_INVESTIGATING, ST_IN_PROGRESS,
  ST_ACTION_SCHEDULED, ST_AWAITING_INFORMATION, ST_FIXED, ST_NO_FURTHER_ACTION,
  ST_NOT_RESPONSIBLE, ST_DUPLICATE, ST_INTERNAL_REFERRAL, ST_CLOSED, N_ST,
  ST_NONE = 0xff
};

/* Indices into ks_demo_staff. */
enum { STAFF_CS, STAFF_INSPECTOR, STAFF_MAINTENANCE, STAFF_ADMIN, N_STAFF, NO_STAFF = 0xff };

typedef enum {
  EV_ACKNOWLEDGE, EV_PRIORITY, EV_STATE, EV_UPDATE, EV_REQUEST_INFO, EV_HIDE,
  EV_REPORTER_UPDATE, EV_REPORTER_FIXED,
} EventKind;

enum { MOD_NONE, MOD_TITLE, MOD_DETAIL, MOD_HIDE_NAME, MOD_PHOTO };

#define F_EMAIL      1
#define F_PHONE      2
#define F_SHOW_NAME  4
#define F_PHOTO      8
#define F_PATROL    16   /* entered by an inspector on patrol */

typedef struct {
  gint64  created, confirmed, updated, acknowledged, mod_time;
  double  lat, lon;
  guint32 text_seed;
  guint32 seq_rank;
  guint32 duplicate_of;    /* 1 + the index of the report this one repeats; 0: none */
  guint16 street;
  guint16 version;
  guint16 shortlist_pos;
  guint8  category;
  guint8  ward;
  guint8  state;
  guint8  priority;        /* 0xff: none */
  guint8  source;
  guint8  flags;
  guint8  ack_by;
  guint8  mod_kind;
  guint8  mod_by;
  guint8  shortlist_user;  /* NO_STAFF: not on a shortlist */
} KsDemoReport;

typedef struct {
  gint64  time;
  guint32 report;
  guint8  kind;
  guint8  state;
  guint8  staff;
  guint8  variant;
  guint8  pos;             /* order within the report's timeline */
} KsDemoEvent;

typedef struct {
  GRand      *rand;
  gint64      now;
  gint64      start;
  guint       n;
  KsDemoReport *reports;
  GArray     *events;
  double     *street_cum;  /* per category: ks_demo_n_streets cumulative weights */
  double     *cat_cum;
  gint64      body_id;
  gint64      staff_ids[N_STAFF];
  gint64     *category_ids;
  gint64     *priority_ids;
  gint64      first_id;
  gint64      seq_base;
  guint       n_moderation;
  char       *photos[KS_DEMO_N_PHOTOS];  /* references of the demo photos, or NULLs */
} KsDemoPlan;

/* The wire names of the enums above. */
extern const char * const ks_demo_source_ids[];
extern const char * const ks_demo_state_ids[N_ST];
extern const char * const ks_demo_event_kind_ids[];

/* Plans n reports (d->rand, now, start and n set; reports and events allocated). */
void ks_demo_plan_make  (KsDemoPlan *d);
void ks_demo_plan_clear (KsDemoPlan *d);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (KsDemoPlan, ks_demo_plan_clear)

/* How a planned data set is written into a store: the generator calls these in
 * turn (begin, write, then end; checkpoint once committed). The SQLite store's
 * are sqlite/ks-sqlite-demo-writer.c's. */
struct _KsDemoWriter {
  /* Settings for the bulk load and its write transaction; *old_cache is what
   * end puts back. */
  gboolean (*begin)      (KsStore *store, gint64 *old_cache, GError **error);
  void     (*end)        (KsStore *store, gint64 old_cache);
  /* The council, its staff (hashes: their password hashes) and catalogue, then
   * the planned reports and updates; sets d's ids. */
  gboolean (*write)      (KsStore *store, KsDemoPlan *d, char **hashes, gint64 t0,
                          GError **error);
  void     (*checkpoint) (KsStore *store);
};

G_END_DECLS
