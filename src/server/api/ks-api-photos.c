/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-api-photos.c: the photos of a report: adding them to the report itself,
 * redacting one (rectangles filled over faces and number plates) and restoring the
 * original of a redacted one.
 *
 * A redaction writes a new file and puts its reference in the old one's place in
 * the report, its updates and the list of photos, all in the request's write
 * transaction; the original's reference is kept only in the moderation entry,
 * where only moderators may open it (ks_store_reports_media_visible). Restoring
 * does the reverse, and is recorded the same way. Uploads with a new report or an
 * update are in ks-api-report-create.c and ks-api-actions.c. */
#define G_LOG_DOMAIN "ks-api-photos"

#include "api/ks-api.h"
#include "api/ks-api-actions-private.h"
#include "http/ks-image.h"
#include "http/ks-media.h"
#include "http/ks-server-config.h"

/* The largest coordinate or size of a rectangle, in pixels. */
#define MAX_RECT_COORDINATE 100000

/* Bumps the report's version and sequence number, so that other copies see the
 * change and edits based on the old version are refused. */
static gboolean
touch_report (KsRequest *req,
              gint64     report_id)
{
  g_autoptr(GError) error = NULL;
  KsReportChange change = { 0 };

  if (!ks_store_actions_change_report (req->store, report_id, &change, &error))
    return ks_action_fail (req, error);
  return TRUE;
}

/* ---- adding photos to the report ---- */

static void
handle_add (KsRequest *req)
{
  g_autoptr(GError) error = NULL;
  g_auto(KsReportCore) report = { 0 };
  g_autoptr(GPtrArray) photos = NULL;
  g_autoptr(GPtrArray) refs = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) details = g_string_new (NULL);
  KsJsonWriter dw;
  JsonObject *obj;
  guint existing = 0;

  if (!ks_action_load_report (req, "id", &report) ||
      (obj = ks_request_json_object (req)) == NULL ||
      !ks_action_read_photos (req, obj, &photos) ||
      !ks_action_check_version (req, obj, FALSE, &report) ||
      !ks_request_check_fields (req))
    return;
  if (photos->len == 0)
    {
      ks_request_error (req, 422, "invalid",
                        "The field “photos” is required: a list of JPEG or PNG images, "
                        "each as base64.");
      return;
    }
  if (!ks_store_photos_count (req->store, report.id, 0, &existing, &error))
    {
      ks_action_fail (req, error);
      return;
    }
  if (!ks_action_check_photo_limit (req, report.body_id, existing, photos->len) ||
      !ks_action_save_photos (req, photos, refs))
    return;
  if (!ks_store_photos_add (req->store, report.id, 0, (const char * const *) refs->pdata,
                            refs->len, &error))
    {
      ks_action_fail (req, error);
      return;
    }
  if (!touch_report (req, report.id))
    return;

  ks_json_writer_init (&dw, details);
  ks_json_writer_begin_object (&dw);
  ks_action_member_photos (&dw, refs);
  ks_json_writer_end_object (&dw);
  if (!ks_action_audit (req, &report, "add_photos", details))
    return;
  ks_action_answer_report (req, 200, report.id);
}

/* ---- redaction ---- */

/* The photo named in the path, as one of the report's photos now: its reference
 * and the update it belongs to (0: the report's own). Answers 404 otherwise. */
static gboolean
load_photo (KsRequest          *req,
            const KsReportCore *report,
            char              **out_ref,
            gint64             *out_update_id)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *ref = NULL;
  const char *name = ks_request_param (req, "name");
  gboolean found = FALSE;

  if (ks_media_name_is_valid (name))
    {
      ref = g_strconcat (KS_MEDIA_PREFIX, name, NULL);
      if (!ks_store_photos_find (req->store, report->id, ref, &found, out_update_id, &error))
        return ks_action_fail (req, error);
    }
  if (!found)
    {
      ks_request_error (req, 404, "not_found",
                        "Report %" G_GINT64_FORMAT " has no such photo. Refresh the report "
                        "and try again.", report->id);
      return FALSE;
    }
  *out_ref = g_steal_pointer (&ref);
  return TRUE;
}

/* Reads "rectangles": [{"x", "y", "width", "height"}...] in the photo's pixels. */
static gboolean
read_rectangles (KsRequest  *req,
                 JsonObject *obj,
                 GArray     *rects)
{
  JsonNode *node = ks_request_member (req, obj, "rectangles");
  JsonArray *array;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node) ||
      json_array_get_length (array = json_node_get_array (node)) == 0 ||
      json_array_get_length (array) > KS_IMAGE_MAX_RECTS)
    {
      ks_request_error (req, 422, "invalid",
                        "The field “rectangles” is required: a list of 1 to %d areas to "
                        "cover, each {\"x\", \"y\", \"width\", \"height\"} in the photo's "
                        "pixels.", KS_IMAGE_MAX_RECTS);
      return FALSE;
    }
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      JsonObject *r;
      gint64 x = 0, y = 0, width = 0, height = 0;
      KsImageRect rect;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        {
          ks_request_error (req, 422, "invalid",
                            "Each of “rectangles” must be an object {\"x\", \"y\", "
                            "\"width\", \"height\"}.");
          return FALSE;
        }
      r = json_node_get_object (element);
      if (!ks_request_get_int (req, r, "x", TRUE, 0, MAX_RECT_COORDINATE, &x) ||
          !ks_request_get_int (req, r, "y", TRUE, 0, MAX_RECT_COORDINATE, &y) ||
          !ks_request_get_int (req, r, "width", TRUE, 1, MAX_RECT_COORDINATE, &width) ||
          !ks_request_get_int (req, r, "height", TRUE, 1, MAX_RECT_COORDINATE, &height))
        return FALSE;
      rect = (KsImageRect) { (int) x, (int) y, (int) width, (int) height };
      g_array_append_val (rects, rect);
    }
  return TRUE;
}

/* Puts new_ref in old_ref's place and records the moderation entry and the bump. */
static gboolean
swap_photo (KsRequest          *req,
            const KsReportCore *report,
            gint64              update_id,
            const char         *action,
            const char         *reason,
            const char         *old_ref,
            const char         *new_ref)
{
  g_autoptr(GError) error = NULL;
  KsNewPhotoModeration mod = {
    .report_id = report->id,
    .update_id = update_id,
    .user_id = req->principal.user_id,
    .reason = reason,
    .action = action,
    .old_photo = old_ref,
    .new_photo = new_ref,
  };

  if (!ks_store_photos_replace (req->store, report->id, old_ref, new_ref, &error) ||
      !ks_store_photos_record (req->store, &mod, &error))
    return ks_action_fail (req, error);
  return touch_report (req, report->id);
}

/* Audits the swap: {"photo": before, "now": after} and any extra member. */
static gboolean
audit_swap (KsRequest          *req,
            const KsReportCore *report,
            const char         *action,
            const char         *old_ref,
            const char         *new_ref,
            guint               n_rects)
{
  g_autoptr(GString) details = g_string_new (NULL);
  KsJsonWriter dw;

  ks_json_writer_init (&dw, details);
  ks_json_writer_begin_object (&dw);
  ks_json_writer_member_string (&dw, "photo", old_ref);
  ks_json_writer_member_string (&dw, "now", new_ref);
  if (n_rects > 0)
    ks_json_writer_member_int (&dw, "rectangles", n_rects);
  ks_json_writer_end_object (&dw);
  return ks_action_audit (req, report, action, details);
}

static void
handle_redact (KsRequest *req)
{
  g_autoptr(GError) error = NULL;
  g_auto(KsReportCore) report = { 0 };
  g_autoptr(GArray) rects = g_array_new (FALSE, FALSE, sizeof (KsImageRect));
  g_autoptr(GBytes) original = NULL;
  g_autoptr(GBytes) redacted = NULL;
  g_autofree char *ref = NULL;
  g_autofree char *new_ref = NULL;
  JsonObject *obj;
  const char *reason = NULL;
  gint64 update_id = 0;
  gsize len;
  const guint8 *data;

  if (!ks_action_load_report (req, "id", &report) ||
      (obj = ks_request_json_object (req)) == NULL ||
      !ks_request_get_string (req, obj, "reason", TRUE, MAX_REASON_LENGTH, &reason) ||
      !read_rectangles (req, obj, rects) ||
      !ks_action_check_version (req, obj, FALSE, &report) ||
      !load_photo (req, &report, &ref, &update_id) ||
      /* Before a file is written: a field it does not know refuses the request. */
      !ks_request_check_fields (req))
    return;
  if (ks_api_is_blank (reason))
    {
      ks_request_error (req, 422, "invalid",
                        "The field “reason” must not be empty: say why the photo is redacted.");
      return;
    }

  original = ks_media_read (req->config->media_dir, ks_media_name_from_ref (ref), &error);
  if (original == NULL)
    {
      ks_action_fail (req, error);
      return;
    }
  data = g_bytes_get_data (original, &len);
  redacted = ks_image_redact (data, len, (const KsImageRect *) rects->data, rects->len, &error);
  if (redacted == NULL || (new_ref = ks_action_save_photo (req, redacted)) == NULL)
    {
      if (error != NULL)
        ks_action_fail (req, error);
      return;
    }
  if (!swap_photo (req, &report, update_id, "redact_photo", reason, ref, new_ref) ||
      !audit_swap (req, &report, "redact_photo", ref, new_ref, rects->len))
    return;
  ks_action_answer_report (req, 200, report.id);
}

static void
handle_restore (KsRequest *req)
{
  g_autoptr(GError) error = NULL;
  g_auto(KsReportCore) report = { 0 };
  g_autofree char *ref = NULL;
  g_autofree char *original = NULL;
  JsonObject *obj;
  const char *reason = NULL;
  gint64 update_id = 0;

  if (!ks_action_load_report (req, "id", &report) ||
      (obj = ks_request_json_object (req)) == NULL ||
      !ks_request_get_string (req, obj, "reason", TRUE, MAX_REASON_LENGTH, &reason) ||
      !ks_action_check_version (req, obj, FALSE, &report) ||
      !load_photo (req, &report, &ref, &update_id))
    return;
  if (!ks_store_photos_original (req->store, report.id, ref, &original, &error))
    {
      ks_action_fail (req, error);
      return;
    }
  if (original == NULL)
    {
      ks_request_error (req, 422, "not_redacted",
                        "This photo is not a redacted one, so there is no original to "
                        "restore.");
      return;
    }
  if (!swap_photo (req, &report, update_id, "restore_photo", reason, ref, original) ||
      !audit_swap (req, &report, "restore_photo", ref, original, 0))
    return;
  ks_action_answer_report (req, 200, report.id);
}

void
ks_api_photos_register (KsRouter *router)
{
  ks_router_add (router, "POST", "/api/v1/reports/{id}/photos", 0,
                 KS_PERM_UPDATE_REPORT, handle_add);
  ks_router_add (router, "POST", "/api/v1/reports/{id}/photos/{name}/redact", 0,
                 KS_PERM_MODERATE_REPORT, handle_redact);
  ks_router_add (router, "POST", "/api/v1/reports/{id}/photos/{name}/restore", 0,
                 KS_PERM_MODERATE_REPORT, handle_restore);
}
