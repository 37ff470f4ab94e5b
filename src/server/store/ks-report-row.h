/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-report-row.h: a report as the store hands it over (the list, sync and detail
 * columns, plus the detail's updates and moderation entries), borrowed for the
 * length of one callback: api/ks-wire-report.c turns them into JSON. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Text members are NULL when the column is empty (SQL NULL); ids and positions are
 * 0 when there is none; times are Unix seconds, 0 when never. */
typedef struct {
  /* The list shape. */
  gint64      id;
  const char *title;
  gint64      category_id;
  const char *category;
  const char *group;
  const char *state;
  gint64      priority_id;
  double      lat;
  double      lon;
  const char *ward;
  gint64      created;
  gint64      updated;
  gint64      acknowledged;
  gint64      shortlist_user;
  gboolean    has_photo;
  gint64      version;
  gint64      seq;

  /* Sync and detail (the list leaves these empty). */
  gint64      body_id;
  const char *detail;
  const char *address;
  const char *photo;
  const char *source;                 /* detail only */
  gint64      shortlist_position;     /* also on the shortlist */
  gint64      acknowledged_by;
  const char *acknowledged_by_name;
  const char *shortlist_holder_name;  /* detail only: the name of shortlist_user */
  gint64      responded;              /* the council's first response (docs/admin.md) */

  /* The reporter's personal data: the writer decides who may see it. */
  const char *reporter_name;
  const char *reporter_email;
  const char *reporter_phone;
  gboolean    show_name;

  /* Sync and detail: the answers to the category's questions, a JSON array of
   * [code, value] pairs in their order (NULL or "[]": none). */
  const char *attributes;
  /* Sync and detail: the stored photos of the report and of its updates, in order,
   * a JSON array of [update_id (0: the report's own), ref, redacted] (NULL or "[]":
   * none). */
  const char *photos;
  /* Sync: the report this one is marked as a duplicate of (0: none; the detail
   * gives it with the duplicates, api/ks-api-duplicates.c). */
  gint64      duplicate_of;

  /* Sync (and the list): the report's rendered sync item without the reporter,
   * its whole JSON object, as the store keeps it while it is fresh (NULL: the
   * writer renders the row). The list item is its first fragment_list_len bytes
   * followed by "}". */
  const char *fragment;
  gsize       fragment_len;
  gsize       fragment_list_len;
} KsReportRow;

/* Called for each report of a page. index is the row's place in the page (from 0):
 * rows may come out of order, but each index comes once. */
typedef void (*KsReportRowFunc) (const KsReportRow *row, guint index, gpointer user_data);

/* A timeline entry of a report. */
typedef struct {
  gint64      id;
  const char *kind;
  const char *text;
  const char *state;
  gint64      priority_id;
  gint64      user_id;
  const char *user;         /* the staff member's name, else the author's */
  gboolean    is_public;
  gint64      created;
  const char *photo;
  const char *source;
  gboolean    hidden;       /* hidden by a moderator: out of every public output */
  /* The answers this entry replaced or dropped, as KsReportRow's attributes. */
  const char *previous_attributes;
} KsUpdateRow;

/* A moderation entry: what it changed. show_name: -1 when not changed (null).
 * An entry about one update of the timeline has its update_id (0: about the
 * report), an action (edit, hide, unhide) and that update's text and hidden flag
 * before and after (hidden: -1 when not known). The actions redact_photo and
 * restore_photo (about the report or an update) change old_photo into new_photo. */
typedef struct {
  gint64      id;
  gint64      report_id;
  gint64      user_id;
  const char *user;
  const char *reason;
  gint64      created;
  const char *old_title;
  const char *new_title;
  const char *old_detail;
  const char *new_detail;
  int         old_show_name;
  int         new_show_name;
  const char *old_photo;
  gboolean    photo_removed;
  gint64      update_id;
  const char *action;
  const char *old_text;
  const char *new_text;
  int         old_hidden;
  int         new_hidden;
  /* redact_photo, restore_photo: the photo that took old_photo's place. */
  const char *new_photo;
} KsModerationRow;

/* The detail of a report, in this order: report once, then each update, then each
 * moderation entry (oldest first). */
typedef struct {
  void (*report)     (const KsReportRow *row, gpointer user_data);
  void (*update)     (const KsUpdateRow *row, gpointer user_data);
  void (*moderation) (const KsModerationRow *row, gpointer user_data);
} KsReportDetailFuncs;

G_END_DECLS
