/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-demo-rows.h: the rows of a planned demo data set, column by column, as every
 * store writes them: a report (with its moderation entry and its answers to the
 * category's questions) and an update. The words are drawn here, once, so that
 * each store's writer only moves values into its database and the same seed gives
 * the same rows in every store. */
#pragma once

#include "demo/ks-demo-plan.h"
#include "demo/ks-demo-text.h"

G_BEGIN_DECLS

/* Ids are 0 and text NULL where the column is NULL. */
typedef struct {
  gint64      id;
  gint64      category_id;
  const char *title;
  const char *detail;
  double      lat, lon;          /* rounded to 1e-6 degree */
  const char *ward;
  const char *address;
  const char *state;
  gint64      priority_id;
  const char *reporter_name;
  const char *reporter_email;
  const char *reporter_phone;
  gboolean    show_name;
  const char *photo;
  const char *source;
  const char *external_id;
  gint64      created_by;
  gint64      created;
  gint64      confirmed;         /* 0: never confirmed */
  gint64      updated;
  gint64      acknowledged;      /* with acknowledged_by: 0 when nobody did */
  gint64      acknowledged_by;
  gint64      shortlist_user;
  int         shortlist_pos;     /* meaningful with shortlist_user */
  int         version;
  gint64      seq;
  gint64      duplicate_of;      /* with state_before_duplicate ("confirmed") */
  const char *state_before_duplicate;

  /* The moderation entry (has_moderation): the changes it made. */
  gboolean    has_moderation;
  gint64      mod_user_id;
  const char *mod_reason;
  gint64      mod_created;
  const char *mod_old_title, *mod_new_title;
  const char *mod_old_detail, *mod_new_detail;
  gboolean    mod_show_name_changed;   /* old_show_name 1, new_show_name 0; else both NULL */
  const char *mod_old_photo;
  gboolean    mod_photo_removed;

  /* Answers to the category's extra questions, in order (position 0, 1). */
  guint       n_attributes;
  const char *attribute_codes[2];
  const char *attribute_values[2];

  /* Storage of the strings above. */
  GString    *title_buf, *detail_buf, *address_buf, *old_text_buf;
  char        photo_buf[96];
  char        external_id_buf[32];
  char        attribute_buf[2][32];
  KsDemoReporter who;
} KsDemoReportRow;

typedef struct {
  gint64      report_id;
  gint64      user_id;           /* 0: written by the reporter */
  const char *author_name;
  const char *kind;
  const char *text;
  const char *photo;
  const char *state;
  gint64      priority_id;
  gboolean    is_public;
  const char *source;
  const char *external_id;
  gint64      created;

  GString    *text_buf;
  char        photo_buf[96];
  char        external_id_buf[32];
  KsDemoReporter who;
} KsDemoUpdateRow;

void ks_demo_report_row_init  (KsDemoReportRow *row);
void ks_demo_report_row_clear (KsDemoReportRow *row);
/* Fills row with the plan's report i (its id: d->first_id + i; its seq from
 * d->seq_base). The strings stay valid until the next call or the clear. */
void ks_demo_report_row_fill  (KsDemoReportRow *row, const KsDemoPlan *d, guint i);

void ks_demo_update_row_init  (KsDemoUpdateRow *row);
void ks_demo_update_row_clear (KsDemoUpdateRow *row);
/* Fills row with the plan's event e (the update written e-th). */
void ks_demo_update_row_fill  (KsDemoUpdateRow *row, const KsDemoPlan *d, guint e);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (KsDemoReportRow, ks_demo_report_row_clear)
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (KsDemoUpdateRow, ks_demo_update_row_clear)

G_END_DECLS
