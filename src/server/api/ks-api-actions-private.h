/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-api-actions-private.h: the steps the report action handlers (and the
 * anonymising ones) share: checks of their input, the answer, the audit, photos;
 * and the areas that register their routes with the actions (creating a report,
 * the shortlist). */
#pragma once

#include "http/ks-request.h"
#include "http/ks-router.h"
#include "api/ks-api-util.h"
#include "store/ks-store.h"

G_BEGIN_DECLS

#define MAX_TITLE_LENGTH   200
#define MAX_DETAIL_LENGTH  10000
#define MAX_TEXT_LENGTH    5000
#define MAX_REASON_LENGTH  1000
#define MAX_NAME_LENGTH    200
#define MAX_EMAIL_LENGTH   254
#define MAX_PHONE_LENGTH   40
#define MAX_ADDRESS_LENGTH 500
#define MAX_SHORTLIST      1000
#define MAX_ANSWERS        100
#define MAX_ANSWER_LENGTH  4000

/* Titles, names and the like are single lines: no control characters. */
gboolean ks_action_check_one_line (KsRequest  *req,
                                   const char *field,
                                   const char *value);


/* The same, for the report named by a path parameter. */
gboolean ks_action_load_report (KsRequest    *req,
                                const char   *param,
                                KsReportCore *report);


/* Writes the report's detail after "key" (the caller opened the object); answers
 * the error and returns FALSE when it cannot. In a step of a bulk action
 * (req->detail_deferred) it writes null and notes the report instead. */
gboolean ks_action_write_detail (KsRequest    *req,
                                 KsJsonWriter *w,
                                 const char   *key,
                                 gint64        report_id);

/* Begins a 409 answer: {"error": {"code": "conflict", "message": message}, leaving
 * the object open for what the caller adds. */
void ks_action_begin_conflict (KsRequest    *req,
                               KsJsonWriter *w,
                               const char   *message);

/* The usual answer: {"report": <detail>}. */
void ks_action_answer_report (KsRequest *req,
                              guint      status,
                              gint64     report_id);


/* Reads "version": the version of the report the change was based on. When the
 * report has changed since, answers 409 with the current report. */
gboolean ks_action_check_version (KsRequest          *req,
                                  JsonObject         *obj,
                                  gboolean            required,
                                  const KsReportCore *report);


/* A hidden report keeps its state until it is unhidden. */
gboolean ks_action_check_not_hidden (KsRequest          *req,
                                     const KsReportCore *report);


/* A state staff may move a report of council body_id to: any open, fixed or
 * closed state, built in or the council's own (and active). */
gboolean ks_action_check_target_state (KsRequest  *req,
                                       gint64      body_id,
                                       const char *field,
                                       const char *state);


/* Reads the optional "template_id": a template of the report's council for its
 * category, which needs the permission to use templates. */
gboolean ks_action_load_template (KsRequest          *req,
                                  JsonObject         *obj,
                                  const KsReportCore *report,
                                  KsTemplateRow      *template,
                                  gboolean           *have);


/* The text of a reply: text as given, or the template's; with a template, its
 * placeholders filled. NULL when there is none. */
char *ks_action_reply_text (KsRequest           *req,
                            const KsReportCore  *report,
                            const char          *text,
                            const KsTemplateRow *template,
                            gboolean             have_template,
                            const char          *state);


/* The email's text of a reply made from a template's own text: the template's
 * email text with its placeholders filled; NULL when the email is to give the
 * public text (no template, no email text, or text given by staff). */
char *ks_action_reply_email_text (KsRequest           *req,
                                  const KsReportCore  *report,
                                  const char          *text,
                                  const KsTemplateRow *template,
                                  gboolean             have_template,
                                  const char          *state);


/* Audit details are small JSON objects; start one with ks_json_writer_begin_object. */
gboolean ks_action_audit (KsRequest          *req,
                          const KsReportCore *report,
                          const char         *action,
                          GString            *details);


gboolean ks_action_fail (KsRequest *req, GError *error);

/* The ward of a point given for a new or moved report (ks_boundaries_ward);
 * answers 422 outside_area, saying so, when the point is outside the council's
 * area, and returns FALSE after answering. */
gboolean ks_action_ward_at (KsRequest *req, gint64 body_id, double lat, double lon,
                            gint64 except_report_id, char **out_ward);


/* The most photos a council may allow per report and per update, and the most one
 * request may carry. */
#define KS_MAX_PHOTOS_LIMIT 20
/* Reads the optional "photo" and "photos" (a list): each the base64 of a JPEG or
 * PNG image (a "data:" URL prefix is allowed), at most KS_MEDIA_MAX_BYTES decoded,
 * that decodes as a whole image. Sets *out_photos to the decoded files (GBytes,
 * "photo" first; empty when none). Answers 413/422 and returns FALSE when one is
 * not acceptable. Nothing is written yet. */
gboolean ks_action_read_photos (KsRequest  *req,
                                JsonObject *obj,
                                GPtrArray **out_photos);
/* Answers 422 too_many_photos and returns FALSE when adding photos to the
 * existing ones would pass the council's limit. */
gboolean ks_action_check_photo_limit (KsRequest *req,
                                      gint64     body_id,
                                      guint      existing,
                                      guint      adding);
/* Stores each photo in the media directory and adds its reference to refs (owned
 * strings); FALSE with an answer set when one cannot be stored. */
gboolean ks_action_save_photos (KsRequest *req,
                                GPtrArray *photos,
                                GPtrArray *refs);
/* Audit details: "photo" (the first) and "photos" of the stored references, when
 * there are any. */
void ks_action_member_photos (KsJsonWriter *w,
                              GPtrArray    *refs);
/* Stores a photo read by ks_action_read_photos() in the media directory and returns its
 * reference ("/api/v1/media/NAME"); NULL with an answer set when that fails. */
char *ks_action_save_photo (KsRequest *req,
                            GBytes    *photo);

/* Reads the optional "attributes" of obj (answers to the category's questions:
 * {"CODE": value}, a list of values for a multivaluelist, null or "" to leave a
 * question unanswered) against the category's questions (its "extra" JSON) into
 * pairs (code, value, ... in the questions' order), and checks them as Open311
 * does: listed values, numbers, every required question answered. current
 * (nullable): the answers the report has (code, value pairs); those of codes not
 * in "attributes" are kept when they still fit a question, and the others go to
 * dropped (nullable). Answers the error and returns FALSE on a problem
 * (ks-api-answers.c). */
gboolean ks_action_read_answers (KsRequest       *req,
                                 JsonObject      *obj,
                                 const char      *extra,
                                 const GPtrArray *current,
                                 GPtrArray       *pairs,
                                 GPtrArray       *dropped);

/* TRUE when two lists of code, value pairs are the same. */
gboolean ks_action_same_answers (const GPtrArray *a,
                                 const GPtrArray *b);

/* POST /api/v1/reports (ks-api-report-create.c). */
void ks_api_report_create_register (KsRouter *router);
/* POST /api/v1/reports/bulk (ks-api-bulk.c): runs the routes added here. */
void ks_api_bulk_register           (KsRouter *router);
/* /api/v1/shortlist (ks-api-shortlist.c). */
void ks_api_shortlist_register      (KsRouter *router);
/* /api/v1/reports/{id}/updates/{update_id}/... (ks-api-moderation.c). */
void ks_api_moderation_register     (KsRouter *router);
/* Correcting a report: category, location, answers (ks-api-corrections.c). */
void ks_api_corrections_register    (KsRouter *router);
void ks_api_sendings_register       (KsRouter *router);
/* Adding photos to a report, redacting them, restoring the original (ks-api-photos.c). */
void ks_api_photos_register         (KsRouter *router);

G_END_DECLS
