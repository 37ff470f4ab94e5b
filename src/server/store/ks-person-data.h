/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-person-data.h: everything held about one person (the right of access), as the
 * store fills it: api/ks-wire-privacy.c writes it as the export document. */
#pragma once

#include <glib.h>
#include "store/ks-report-row.h"
#include "store/ks-store-auth.h"

G_BEGIN_DECLS

/* Strings live in KsPersonData.strings; NULL when the column is empty. Times are
 * Unix seconds, 0 when never. has_* say whether a nullable id is set. */
typedef struct {
  gint64      id;
  gboolean    has_body_id;
  gint64      body_id;
  const char *council;
  const char *email;
  const char *name;
  const char *phone;
  gboolean    is_superuser;
  gboolean    active;
  gboolean    totp_enabled;
  gint64      created;
  gint64      updated;
  gint64      last_login;
} KsPersonAccount;

typedef struct {
  gint64      id;
  const char *name;
} KsPersonRole;

typedef struct {
  const char *code;
  const char *value;
} KsPersonAttribute;

/* An answer of the person's report that a correction replaced or dropped (kept
 * with the timeline entry of that correction: update_id, changed). */
typedef struct {
  gint64      update_id;
  gint64      changed;
  const char *code;
  const char *value;
} KsPersonPreviousAnswer;

/* A media URL an Open311 client sent with the person's report (update_id 0) or
 * with an update they wrote. */
typedef struct {
  gint64      report_id;
  gint64      update_id;
  const char *url;
} KsPersonMedia;

typedef struct {
  gint64      id;
  gint64      body_id;
  const char *council;
  gint64      category_id;
  const char *category;
  const char *title;
  const char *detail;
  double      lat;
  double      lon;
  const char *ward;
  const char *address;
  const char *state;
  gboolean    has_priority_id;
  gint64      priority_id;
  const char *reporter_name;
  const char *reporter_email;
  const char *reporter_phone;
  gboolean    show_name;
  const char *photo;
  const char *source;
  const char *external_id;
  gint64      created;
  gint64      confirmed;
  gint64      updated;
  gint64      acknowledged;
  gint64      version;
  guint       first_attribute;   /* its attributes in KsPersonData.attributes */
  guint       n_attributes;
  guint       first_previous;    /* its replaced answers in KsPersonData.previous_answers */
  guint       n_previous;
} KsPersonReport;

typedef struct {
  gint64      id;
  gint64      report_id;
  gboolean    by_staff;          /* written by a staff account, else as a resident */
  const char *kind;
  const char *text;
  const char *state;
  gboolean    is_public;
  const char *source;
  const char *author_name;
  const char *author_email;
  const char *photo;
  gint64      created;
} KsPersonUpdate;

typedef struct {
  gint64      id;
  const char *recipient;
  const char *subject;
  const char *file;              /* NULL: not sent */
  gboolean    has_report_id;
  gint64      report_id;
  gint64      created;
} KsPersonEmail;

typedef struct {
  gint64      id;
  gint64      at;
  gint64      user_id;           /* 0: none */
  gboolean    has_body_id;
  gint64      body_id;
  const char *action;
  const char *object_type;
  gboolean    has_object_id;
  gint64      object_id;
  const char *address;
  const char *details;           /* JSON text, or NULL / "" */
} KsPersonAudit;

typedef struct {
  GStringChunk    *strings;
  gboolean         email_opt_out;
  gboolean         has_account;   /* the staff account (and the arrays below it) */
  KsPersonAccount  account;
  GArray          *roles;          /* KsPersonRole, by name */
  GArray          *permissions;    /* const char *, by id */
  GArray          *sessions;       /* KsSessionRow, by id */
  GArray          *shortlist;      /* gint64 report ids, in order */
  GArray          *failed_sign_ins; /* gint64 times */
  GArray          *reports;        /* KsPersonReport, by id */
  GArray          *attributes;     /* KsPersonAttribute, by report then position */
  GArray          *updates;        /* KsPersonUpdate, oldest first */
  GArray          *previous_answers; /* KsPersonPreviousAnswer, by report, then correction */
  GArray          *moderation;     /* KsModerationRow (no user), by id: of their reports
                                    * and of the updates they wrote */
  GArray          *media;          /* KsPersonMedia, by report, update, position */
  GArray          *emails;         /* KsPersonEmail, by id */
  GArray          *audit;          /* KsPersonAudit, by id */
} KsPersonData;

/* Sets up the empty arrays and the string store. */
void        ks_person_data_init   (KsPersonData *data);
void        ks_person_data_clear  (KsPersonData *data);
/* A copy of s in data's string store (NULL stays NULL). */
const char *ks_person_data_string (KsPersonData *data, const char *s);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (KsPersonData, ks_person_data_clear)

G_END_DECLS
