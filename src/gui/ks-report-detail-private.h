/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-report-detail-private.h: what the detail shows, for tests; and what the
 * detail's files (ks-report-action-dialog.c) share. */
#pragma once

#include "ks-report-detail.h"
#include "ks-map-view.h"

G_BEGIN_DECLS

/* The text shown for a field: "state" (the badge), "acknowledged",
 * "category", "priority", "response" (its target response time, hidden with
 * "—" when there is none), "location", "grid" (easting and northing, "—"
 * and hidden when the server gave none), "created", "updated", "shortlist". */
const char  *ks_report_detail_get_field_text (KsReportDetail *self, const char *field);
/* The timeline rows as shown, "heading\nbody" each (free with g_strfreev). */
char       **ks_report_detail_get_timeline   (KsReportDetail *self);
/* The group that holds the timeline (for screenshots). */
GtkWidget   *ks_report_detail_get_timeline_group (KsReportDetail *self);
/* The small location map (NULL before a report was shown). */
KsMapView   *ks_report_detail_get_map_view   (KsReportDetail *self);

/* Shared with the action dialogs */

KsSession   *ks_report_detail_get_session    (KsReportDetail *self);
/* The user_data of ks_report_detail_action_done(): after a report action the
 * detail shows done_message (or the error, or that the change waits in the
 * outbox) as a toast, and shows the report again. */
typedef struct _KsReportActionData KsReportActionData;
KsReportActionData *ks_report_detail_action_data (KsReportDetail *self, const char *done_message);
/* The toast offers Undo, which publishes report_id again (after a hide). */
void         ks_report_action_data_offer_unhide (KsReportActionData *data, gint64 report_id);
/* Once the server answered, the toast says format with the report's ward for
 * its %s (done_message while the change waits in the outbox). */
void         ks_report_action_data_name_ward (KsReportActionData *data, const char *format);
/* The toast offers Undo, which runs undo on the detail (undo_free frees
 * undo_data, whether or not it ran). */
typedef void (*KsReportUndoFunc) (KsReportDetail *self, gpointer undo_data);
void         ks_report_action_data_offer_undo (KsReportActionData *data, KsReportUndoFunc undo,
                                               gpointer undo_data, GDestroyNotify undo_free);
/* The GAsyncReadyCallback of every report action (ks_session_action_finish). */
void         ks_report_detail_action_done    (GObject *source, GAsyncResult *result, gpointer user_data);

/* ks-report-detail-moderation.c: a timeline row for one update, marked when it is
 * hidden and with a menu (Edit…, Hide…, Show Again…) for staff who may moderate;
 * the row is named "update-row-ID" (its menu button "update-menu", the mark
 * "hidden-update-mark"). Returns row or a box holding it. */
GtkWidget   *ks_report_detail_moderation_row (KsReportDetail *self, GtkWidget *row,
                                              JsonObject *update);
/* Adds what a moderation entry about one update did to text. */
void         ks_report_detail_moderation_describe (JsonObject *entry, GString *text);
/* ks-report-detail-response.c: the sentence about the report's target response
 * time ("Respond by 14:30 Tue", "Overdue by 3 h", "Responded in 2 h (met)"), or
 * NULL when it has none or when the detail (which says when it was responded to)
 * has not come from the server. */
char        *ks_report_detail_response_text (KsSession *session, KsReport *report,
                                             JsonObject *detail);
/* Corrections (ks-report-detail-correct.c): the answers group, the actions
 * that change the category, move the report or edit its answers (for holders of
 * update_status or moderate_report), and their dialogs ("correct-category",
 * "correct-location", "correct-answers"), not yet presented. */
void         ks_report_detail_correct_show_answers (KsReportDetail *self);
void         ks_report_detail_correct_add_actions  (KsReportDetail *self, GtkWidget *actions_box,
                                                    GHashTable *buttons);
GtkWidget   *ks_report_detail_correct_dialog_new   (KsReportDetail *self, const char *action);
/* The Move dialog filled with a new point (the dragged pin's), not yet presented. */
GtkWidget   *ks_report_detail_correct_move_dialog_new (KsReportDetail *self, double lat, double lon);
/* Moves report id through the session; the toast names the new ward once the
 * server answered and offers Undo (back to the point and address it had). */
void         ks_report_detail_correct_move         (KsReportDetail *self, gint64 id, double lat,
                                                    double lon, const char *address);
/* ks-report-detail-pin.c: dragging the report's pin on the detail's small map
 * (holders of update_status or moderate_report) asks to move the report there
 * (the Move dialog with the new point); Cancel puts the pin back. */
void         ks_report_detail_pin_attach           (KsReportDetail *self, KsMapView *map);
/* Takes the dragged pin away (another report shown, the dialog answered). */
void         ks_report_detail_pin_clear            (KsReportDetail *self);
/* For tests: drags the pin from the report's point by (dx, dy) pixels through
 * the drag's own handlers; FALSE when the drag is refused (no permission, no
 * pin under the press). */
gboolean     ks_report_detail_drag_pin             (KsReportDetail *self, double from_dx, double from_dy,
                                                    double dx, double dy);
/* For tests: the dragged pin's point; FALSE when none is on the map. */
gboolean     ks_report_detail_get_dragged_pin      (KsReportDetail *self, double *lat, double *lon);
/* The answers as shown, "question: answer" lines ("" when none are shown). */
char        *ks_report_detail_get_answers_text     (KsReportDetail *self);
/* A toast from the detail. */
void         ks_report_detail_show_toast    (KsReportDetail *self, const char *message);

/* ks-report-detail-placeholder.c: for a placeholder (a report created here,
 * not yet sent), id_label says so, a notice (named "placeholder-notice",
 * placed before anchor) tells what happens next or why the server refused it
 * (then with Discard, "placeholder-discard"), and actions_box is insensitive;
 * for a real report the notice hides. Returns TRUE for a placeholder. */
gboolean     ks_report_detail_placeholder_show (KsReportDetail *self, KsReport *report,
                                                GtkWidget *anchor, GtkWidget *id_label,
                                                GtkWidget *actions_box);
/* For tests: the notice's text (NULL when hidden) and its Discard button. */
const char  *ks_report_detail_get_placeholder_text    (KsReportDetail *self);
GtkWidget   *ks_report_detail_get_placeholder_discard (KsReportDetail *self);
/* The reference shown at the top ("#123", or "Waiting to be sent"). */
const char  *ks_report_detail_get_reference_text      (KsReportDetail *self);

/* ks-report-detail-emails.c: fills list with the emails to the resident that the
 * detail holds ("emails"), and shows group only when there are some. */
void         ks_report_detail_show_emails   (KsReportDetail *self, GtkWidget *group,
                                             GtkWidget *list);
/* ks-report-detail-hide-person.c: the reporter group's "Hide Everywhere…" (or,
 * on a hidden report, "Show Everywhere Again…") for holders of hide_report when
 * the reporter gave an email address; its dialog ("hide-everywhere", reason
 * entry "hide-everywhere-reason", response "hide" or "unhide"). */
void         ks_report_detail_hide_person_show (KsReportDetail *self, GtkWidget *group,
                                                const char *email);
/* The button (named "hide-everywhere") when shown, else NULL. */
GtkWidget   *ks_report_detail_hide_person_button (GtkWidget *group);
/* The same for the detail's own reporter group. */
GtkWidget   *ks_report_detail_get_hide_person_button (KsReportDetail *self);
/* The rows of that list as shown, "title\nsubtitle" each, blank lines between. */
char        *ks_report_detail_emails_text   (GtkWidget *list);
/* The same for the detail's own list. */
char        *ks_report_detail_get_emails_text (KsReportDetail *self);
/* The detail's group of emails (for tests and screenshots). */
GtkWidget   *ks_report_detail_get_emails_group (KsReportDetail *self);

/* ks-report-detail-sendings.c: fills list with where the report was sent on (the
 * detail's "sendings"), a Resend button on each row for staff who may update a
 * report's status, and shows group only when there are some. */
void         ks_report_detail_show_sendings (KsReportDetail *self, GtkWidget *group,
                                             GtkWidget *list);
/* The rows of that list as shown, "title\nsubtitle" each, blank lines between. */
char        *ks_report_detail_sendings_text (GtkWidget *list);
/* The same for the detail's own list, and its group (for tests and screenshots). */
char        *ks_report_detail_get_sendings_text  (KsReportDetail *self);
GtkWidget   *ks_report_detail_get_sendings_group (KsReportDetail *self);

/* ks-report-detail-assign.c: Assign opens the dialog; Navigate opens
 * ks_report_detail_navigate_uri() ("geo:LAT,LON", NULL without a report). */
void         ks_report_detail_open_assign   (KsReportDetail *self);
void         ks_report_detail_navigate      (KsReportDetail *self);
char        *ks_report_detail_navigate_uri  (KsReportDetail *self);
/* The "Duplicates" facet (ks-report-detail-duplicates.c): the report's duplicate
 * links and the open reports of its category nearby. */
typedef struct _KsDetailDuplicates KsDetailDuplicates;
KsDetailDuplicates *ks_detail_duplicates_new        (KsReportDetail *detail);
/* The links (placed before the timeline) and the reports nearby (after it). */
GtkWidget          *ks_detail_duplicates_get_widget (KsDetailDuplicates *self);
GtkWidget          *ks_detail_duplicates_get_nearby_widget (KsDetailDuplicates *self);
/* Shows the shown report's links (from its detail) and fetches the reports
 * nearby again when the report or its version changed. */
void                ks_detail_duplicates_update     (KsDetailDuplicates *self);
void                ks_detail_duplicates_free       (KsDetailDuplicates *self);
/* The facet of a detail (for tests). */
KsDetailDuplicates *ks_report_detail_get_duplicates (KsReportDetail *self);
/* The rows as shown, "title\nsubtitle" (or a note's text): the links, or the
 * reports nearby (free with g_strfreev). */
char              **ks_detail_duplicates_get_rows   (KsDetailDuplicates *self, gboolean nearby);
/* The button "mark" (on a report nearby) or "undo" (on the link) of the row of
 * report id (0: any row), or NULL. */
GtkWidget          *ks_detail_duplicates_get_button (KsDetailDuplicates *self, const char *name,
                                                     gint64 id);
/* The dialog of "Mark as Duplicate…" for the shown report (named "duplicate",
 * not yet presented): the open reports of its category nearby, nearest first,
 * each a check button "original-ID", or the original's number typed in the
 * entry "original-number"; its response "mark" marks it through the session. */
GtkWidget          *ks_detail_duplicates_chooser_new (KsDetailDuplicates *self);
/* Whether the shown report may be marked (it is not a duplicate already). */
gboolean            ks_detail_duplicates_may_mark    (KsDetailDuplicates *self);

/* ks-report-detail-photos.c: the strip of the report's photos (buttons named
 * "photo-thumb-N", each opening the photo large in a KsPhotoViewer once loaded)
 * and "Add Photos…" ("add-photos") for holders of update_report; strip is the
 * box inside the strip's scrolled window. */
void         ks_report_detail_photos_show   (KsReportDetail *self, GtkWidget *strip,
                                             JsonObject *detail);
/* Sends files as new photos of the report (what the file chooser does). */
void         ks_report_detail_add_photo_files (KsReportDetail *self, GFile **files,
                                               guint n_files);
/* The strip of photos (for tests). */
GtkWidget   *ks_report_detail_get_photo_strip (KsReportDetail *self);
G_END_DECLS
