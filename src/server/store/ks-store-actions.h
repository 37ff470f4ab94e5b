/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-store-actions.h: the store's report actions (see ks-store.h): creating reports
 * for residents, acknowledging, updates, state and priority changes, moderation,
 * hiding, requests for information, shortlists and the email record.
 *
 * All writes here run inside the request's write transaction. Those that change a
 * report bump its version, set its updated time and give it a new sync sequence
 * number, unless said otherwise. */
#pragma once

#include <glib-object.h>
#include "auth/ks-principal.h"
#include "store/ks-report-row.h"

G_BEGIN_DECLS

typedef struct _KsStore KsStore;

/* What the action handlers need to know about a report to check and fill in. */
typedef struct {
  gint64    id;
  gint64    body_id;
  char     *council;          /* the council's name */
  gint64    category_id;
  char     *category;         /* the category's name */
  char     *title;
  char     *detail;
  char     *ward;
  char     *state;
  gint64    priority_id;      /* 0: none */
  char     *reporter_name;
  char     *reporter_email;
  gboolean  show_name;
  char     *photo;
  gint64    acknowledged;     /* 0: not yet */
  gint64    shortlist_user;   /* 0: on nobody's shortlist */
  char     *shortlist_user_name;
  gint64    version;
} KsReportCore;

void ks_report_core_clear (KsReportCore *report);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (KsReportCore, ks_report_core_clear)

typedef struct {
  gint64    id;
  gint64    body_id;
  char     *title;
  char     *text;
  char     *state;            /* NULL: choosing it does not change the state */
  gboolean  applies;          /* it is offered for the category asked about */
  char     *email_text;       /* NULL: the resident's email gives text */
  char     *external_status_code;  /* for other systems (Open311); NULL: none */
} KsTemplateRow;

void ks_template_row_clear (KsTemplateRow *row);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (KsTemplateRow, ks_template_row_clear)

/* A member of staff as someone to assign reports to (a shortlist's holder). */
typedef struct {
  gint64      id;
  const char *name;
  gint64      body_id;          /* 0: a platform operator */
  gboolean    active;
  gboolean    can_hold;         /* active staff of a council holding shortlist */
  gint64      held;             /* reports on their shortlist */
} KsAssigneeRow;

typedef void (*KsAssigneeFunc) (const KsAssigneeRow *row, gpointer user_data);

/* A report entered by staff for a resident (or as the council). It is created
 * confirmed, with source "staff"; its ward is the one given (from the council's
 * boundaries) or, when none is given, the nearest report's of the council. */
typedef struct {
  gint64      body_id;
  gint64      category_id;
  const char *title;
  const char *detail;
  double      lat;
  double      lon;
  const char *address;
  const char *reporter_name;
  const char *reporter_email;
  const char *reporter_phone;
  gboolean    show_name;
  gint64      created_by;
  const char *photo;            /* a stored photo's reference (ks-media.h), or NULL */
  const char * const *attributes; /* answers to the category's questions: code, value, ... */
  guint       n_attributes;     /* pairs in attributes */
  const char *ward;             /* from the council's boundaries; NULL: none imported
                                 * (then the nearest report's ward) */
} KsNewReport;

/* A change to a report's own fields; only the fields flagged are written. */
typedef struct {
  gboolean    set_state;
  const char *state;
  gboolean    set_priority;
  gint64      priority_id;      /* 0: none */
  gboolean    set_acknowledged;
  gint64      acknowledged;
  gint64      acknowledged_by;
  gboolean    set_title;
  const char *title;
  gboolean    set_detail;
  const char *detail;
  gboolean    set_show_name;
  gboolean    show_name;
  gboolean    remove_photo;
} KsReportChange;

/* A row of a report's timeline (the updates table). */
typedef struct {
  gint64      report_id;
  gint64      user_id;
  const char *author_name;
  const char *kind;             /* update, state, acknowledge, request_info, priority,
                                 * hide, unhide, created */
  const char *text;             /* NULL: empty */
  const char *state;            /* the state after this update when it changed it */
  gint64      priority_id;      /* 0: none */
  gboolean    public;
  const char *photo;            /* a stored photo's reference (ks-media.h), or NULL */
  const char *email_text;       /* the resident's email says this instead of text; NULL: text */
  const char *external_status_code;  /* its template's, for Open311; NULL: none */
  gint64      created;          /* 0: now (the store's caller fills it in) */
} KsNewUpdate;

/* A moderation record: the report's fields before and after. */
typedef struct {
  gint64      report_id;
  gint64      user_id;
  const char *reason;
  const char *old_title;
  const char *new_title;
  const char *old_detail;
  const char *new_detail;
  gboolean    old_show_name;
  gboolean    new_show_name;
  const char *old_photo;
  gboolean    photo_removed;
} KsNewModeration;

/* One update of a report's timeline, as moderating it needs it. */
typedef struct {
  gint64    id;
  gint64    report_id;
  char     *kind;
  char     *text;
  char     *source;
  gboolean  public;
  gboolean  hidden;
} KsUpdateCore;

void ks_update_core_clear (KsUpdateCore *update);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (KsUpdateCore, ks_update_core_clear)

/* A moderation record about one update: action is "edit", "hide" or "unhide". */
typedef struct {
  gint64      report_id;
  gint64      update_id;
  gint64      user_id;
  const char *reason;
  const char *action;
  const char *old_text;
  const char *new_text;
  gboolean    old_hidden;
  gboolean    new_hidden;
} KsNewUpdateModeration;
/* A correction of a report's category or place (ks_store_actions_correct_report). */
typedef struct {
  gboolean    set_category;
  gint64      category_id;
  gboolean    clear_priority;   /* the priority does not apply to the new category */
  gboolean    set_location;
  double      lat;
  double      lon;
  const char *ward;             /* with set_location: the ward at the new point ("" none) */
  gboolean    set_address;
  const char *address;          /* with set_address: NULL clears it */
} KsReportCorrection;

typedef struct {
  gboolean (*get_report)      (KsStore *self, gint64 report_id, gboolean *found,
                               KsReportCore *out, GError **error);
  gboolean (*get_council_name) (KsStore *self, gint64 body_id, char **out_name,
                               GError **error);
  gboolean (*get_category)    (KsStore *self, gint64 category_id, gboolean *found,
                               gint64 *out_body_id, gboolean *out_active, char **out_extra,
                               GError **error);
  gboolean (*get_priority)    (KsStore *self, gint64 priority_id, gint64 category_id,
                               gboolean *found, gint64 *out_body_id, gboolean *out_active,
                               gboolean *out_applies, GError **error);
  gboolean (*get_template)    (KsStore *self, gint64 template_id, gint64 category_id,
                               gboolean *found, KsTemplateRow *out, GError **error);
  gboolean (*create_report)   (KsStore *self, const KsNewReport *report,
                               gint64 *out_report_id, GError **error);
  gboolean (*change_report)   (KsStore *self, gint64 report_id, const KsReportChange *change,
                               GError **error);
  gboolean (*add_update)      (KsStore *self, const KsNewUpdate *update,
                               gint64 *out_update_id, GError **error);
  gboolean (*add_moderation)  (KsStore *self, const KsNewModeration *moderation,
                               gint64 *out_moderation_id, GError **error);
  gboolean (*state_before_hide) (KsStore *self, gint64 report_id, char **out_state,
                               GError **error);
  gboolean (*record_email)    (KsStore *self, const char *recipient, const char *subject,
                               const char *file, gint64 report_id, gint64 *out_email_id,
                               GError **error);
  gboolean (*shortlist_ids)   (KsStore *self, gint64 user_id, GArray **out_report_ids,
                               GError **error);
  gboolean (*shortlist_set)   (KsStore *self, gint64 report_id, gint64 user_id,
                               gint64 position, GError **error);
  gboolean (*user_sees_all)   (KsStore *self, gint64 user_id, gboolean *out_sees_all,
                               GError **error);
  gboolean (*add_tombstone)   (KsStore *self, gint64 report_id, gint64 body_id,
                               gint64 user_id, GError **error);
  gboolean (*shortlist)       (KsStore *self, gint64 user_id, KsReportRowFunc func,
                               gpointer user_data, GError **error);
  gboolean (*get_assignee)    (KsStore *self, gint64 user_id, KsAssigneeFunc func,
                               gpointer user_data, GError **error);
  gboolean (*assignees)       (KsStore *self, gint64 body_id, KsAssigneeFunc func,
                               gpointer user_data, GError **error);
  /* Moderating single updates (ks-*-store-moderation.c). */
  gboolean (*get_update)      (KsStore *self, gint64 report_id, gint64 update_id,
                               gboolean *found, KsUpdateCore *out, GError **error);
  gboolean (*change_update)   (KsStore *self, gint64 update_id, const char *text,
                               int hidden, GError **error);
  gboolean (*add_update_moderation) (KsStore *self, const KsNewUpdateModeration *moderation,
                               gint64 *out_moderation_id, GError **error);
  /* Corrections (ks-sqlite-store-corrections.c, ks-pg-store-corrections.c). */
  gboolean (*ward_at)         (KsStore *self, gint64 body_id, double lat, double lon,
                               gint64 except_report_id, char **out_ward, GError **error);
  gboolean (*get_location)    (KsStore *self, gint64 report_id, double *out_lat,
                               double *out_lon, char **out_address, GError **error);
  gboolean (*correct_report)  (KsStore *self, gint64 report_id,
                               const KsReportCorrection *correction, GError **error);
  gboolean (*get_attributes)  (KsStore *self, gint64 report_id, GPtrArray **out_pairs,
                               GError **error);
  gboolean (*set_attributes)  (KsStore *self, gint64 report_id, const char * const *pairs,
                               guint n_pairs, GError **error);
  gboolean (*keep_attributes) (KsStore *self, gint64 update_id, const char * const *pairs,
                               guint n_pairs, GError **error);
  /* Response priorities (ks-sqlite-store-response.c, ks-pg-store-response.c). */
  gboolean (*apply_default_priority) (KsStore *self, gint64 report_id,
                               gint64 *out_priority_id, GError **error);
  /* Sets the report's responded time to at unless it has one. */
  gboolean (*mark_responded)  (KsStore *self, gint64 report_id, gint64 at, GError **error);
} KsStoreActionsVTable;

/* Fills *out and sets *found; reports of every council are found (the caller
 * checks the council). */
gboolean ks_store_actions_get_report     (KsStore *self, gint64 report_id, gboolean *found,
                                          KsReportCore *out, GError **error);
/* The council's name; KS_ERROR_NOT_FOUND when there is no such council. */
gboolean ks_store_actions_get_council_name (KsStore *self, gint64 body_id, char **out_name,
                                          GError **error);
/* *out_extra (nullable): the category's questions, its "extra" JSON (NULL: none). */
gboolean ks_store_actions_get_category   (KsStore *self, gint64 category_id, gboolean *found,
                                          gint64 *out_body_id, gboolean *out_active,
                                          char **out_extra, GError **error);
/* *out_applies: the priority is for category_id (a priority tied to no category
 * is for all of its council's categories). */
gboolean ks_store_actions_get_priority   (KsStore *self, gint64 priority_id, gint64 category_id,
                                          gboolean *found, gint64 *out_body_id,
                                          gboolean *out_active, gboolean *out_applies,
                                          GError **error);
/* out->applies: the template is for category_id (a template tied to no category is
 * for all of them). */
gboolean ks_store_actions_get_template   (KsStore *self, gint64 template_id, gint64 category_id,
                                          gboolean *found, KsTemplateRow *out, GError **error);
/* Inserts the report (version 1, a new sequence number); the caller adds its
 * "created" timeline row. */
gboolean ks_store_actions_create_report  (KsStore *self, const KsNewReport *report,
                                          gint64 *out_report_id, GError **error);
/* Writes the flagged fields, bumps version, sets updated and seq. */
gboolean ks_store_actions_change_report  (KsStore *self, gint64 report_id,
                                          const KsReportChange *change, GError **error);
/* Adds a timeline entry. One that is the council's first response to the report
 * (ks_update_is_response) sets the report's responded time in the same write. */
gboolean ks_store_actions_add_update     (KsStore *self, const KsNewUpdate *update,
                                          gint64 *out_update_id, GError **error);
/* Whether a timeline entry responds to the report (docs/admin.md, "Response
 * times"): written by a member of staff, and public or moving the report to a
 * state other than confirmed, unconfirmed or hidden. */
gboolean ks_update_is_response           (const KsNewUpdate *update);
gboolean ks_store_actions_add_moderation (KsStore *self, const KsNewModeration *moderation,
                                          gint64 *out_moderation_id, GError **error);
/* The state a hidden report had before it was last hidden, from its timeline;
 * "confirmed" when the timeline does not tell. */
gboolean ks_store_actions_state_before_hide (KsStore *self, gint64 report_id,
                                          char **out_state, GError **error);
/* Records an email written to the outbox. */
gboolean ks_store_actions_record_email   (KsStore *self, const char *recipient,
                                          const char *subject, const char *file,
                                          gint64 report_id, gint64 *out_email_id,
                                          GError **error);
/* The report ids on a user's shortlist, in order (an array of gint64). */
gboolean ks_store_actions_shortlist_ids  (KsStore *self, gint64 user_id,
                                          GArray **out_report_ids, GError **error);
/* Puts the report on user_id's shortlist at position, or at its end when position
 * is 0 (user_id 0: takes it off any shortlist). Gives the report a new sync sequence number, but does not change its
 * version or updated time. */
gboolean ks_store_actions_shortlist_set  (KsStore *self, gint64 report_id, gint64 user_id,
                                          gint64 position, GError **error);
/* Whether the user may see all of their council's reports (view_all_reports, from a
 * role or given alone, or a platform operator). */
gboolean ks_store_actions_user_sees_all  (KsStore *self, gint64 user_id,
                                          gboolean *out_sees_all, GError **error);
/* Tells user_id's app (0: everyone in the council) to drop the report at its next
 * sync. */
gboolean ks_store_actions_add_tombstone  (KsStore *self, gint64 report_id, gint64 body_id,
                                          gint64 user_id, GError **error);
/* Gives the reports of the user's shortlist in order: the list columns and
 * shortlist_position. */
gboolean ks_store_actions_shortlist      (KsStore *self, gint64 user_id,
                                          KsReportRowFunc func, gpointer user_data,
                                          GError **error);
/* Gives the user as an assignee (func is not called when there is no such user). */
gboolean ks_store_actions_get_assignee   (KsStore *self, gint64 user_id,
                                          KsAssigneeFunc func, gpointer user_data,
                                          GError **error);
/* Gives the council's staff who may hold reports (can_hold), and those who hold some
 * of its reports without being able to any more, by name then id. */
gboolean ks_store_actions_assignees      (KsStore *self, gint64 body_id,
                                          KsAssigneeFunc func, gpointer user_data,
                                          GError **error);

/* The update update_id of report report_id; *found FALSE when the report has no
 * such update. */
gboolean ks_store_actions_get_update     (KsStore *self, gint64 report_id, gint64 update_id,
                                          gboolean *found, KsUpdateCore *out, GError **error);
/* Sets the update's text (NULL: keeps it) and hidden flag (-1: keeps it). The
 * caller bumps the report (change_report) so that the sync carries the change. */
gboolean ks_store_actions_change_update  (KsStore *self, gint64 update_id, const char *text,
                                          int hidden, GError **error);
gboolean ks_store_actions_add_update_moderation (KsStore *self,
                                          const KsNewUpdateModeration *moderation,
                                          gint64 *out_moderation_id, GError **error);

/* ---- Corrections ---- */

/* The ward at a point of the council: the one lookup every new report and every
 * moved report goes through (today the ward of the council's nearest report that
 * has one, except_report_id left out; NULL when there is none nearby). */
gboolean ks_store_actions_ward_at        (KsStore *self, gint64 body_id, double lat, double lon,
                                          gint64 except_report_id, char **out_ward,
                                          GError **error);
/* The report's point and address (NULL: none); KS_ERROR_NOT_FOUND when there is
 * no such report. */
gboolean ks_store_actions_get_location   (KsStore *self, gint64 report_id, double *out_lat,
                                          double *out_lon, char **out_address, GError **error);
/* Writes the flagged fields (none: only the report's version), bumps version, sets
 * updated and seq. */
gboolean ks_store_actions_correct_report (KsStore *self, gint64 report_id,
                                          const KsReportCorrection *correction,
                                          GError **error);
/* The report's answers to its category's questions, in order: a GPtrArray of
 * code, value, code, value... strings (owned). */
gboolean ks_store_actions_get_attributes (KsStore *self, gint64 report_id,
                                          GPtrArray **out_pairs, GError **error);
/* Replaces the report's answers by n_pairs code, value pairs. */
gboolean ks_store_actions_set_attributes (KsStore *self, gint64 report_id,
                                          const char * const *pairs, guint n_pairs,
                                          GError **error);
/* Keeps answers a timeline entry replaced or dropped, with that entry. */
gboolean ks_store_actions_keep_attributes (KsStore *self, gint64 update_id,
                                          const char * const *pairs, guint n_pairs,
                                          GError **error);

/* ---- Response priorities ---- */

/* Gives a report without a priority its category's default priority, when the
 * category has one that is active and for the category, and adds the timeline
 * entry saying so (kind "priority", not public). A priority the report has is
 * never replaced. Does not bump the report's version: the write that created or
 * moved the report did. *out_priority_id (nullable): the priority given, 0 none. */
gboolean ks_store_actions_apply_default_priority (KsStore *self, gint64 report_id,
                                          gint64 *out_priority_id, GError **error);

/* The text of the timeline entry of a priority given by the category's default. */
#define KS_DEFAULT_PRIORITY_TEXT "From the category's default priority."

G_END_DECLS
