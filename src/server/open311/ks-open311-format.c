/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-open311-format.c: the two formats of Open311 answers (XML, or JSON when the
 * path ends in .json): starting an answer, and errors in that format (the route
 * group /open311 writes the server's own errors with it too). */
#define G_LOG_DOMAIN "ks-open311-format"

#include "open311/ks-open311-private.h"

/* ---------------------------------------------------------------------------
 * Answers and errors
 * ------------------------------------------------------------------------- */

gboolean
ks_open311_path_wants_json (const char *path)
{
  return path != NULL && g_str_has_suffix (path, ".json");
}

void
ks_open311_set_type (KsRequest  *req,
                     const char *type)
{
  g_free (req->response_type);
  req->response_type = g_strdup (type);
}

void
ks_api_open311_write_error (KsRequest  *req,
                            const char *path,
                            guint       status,
                            const char *message)
{
  g_string_truncate (req->response, 0);
  req->status = status;
  if (ks_open311_path_wants_json (path))
    {
      KsJsonWriter w;

      ks_json_writer_init (&w, req->response);
      ks_json_writer_begin_array (&w);
      ks_json_writer_begin_object (&w);
      ks_json_writer_member_int (&w, "code", status);
      ks_json_writer_member_string (&w, "description", message);
      ks_json_writer_end_object (&w);
      ks_json_writer_end_array (&w);
      ks_open311_set_type (req, JSON_TYPE);
    }
  else
    {
      KsXmlWriter x;

      ks_xml_writer_init (&x, req->response);
      ks_xml_writer_begin (&x, "errors");
      ks_xml_writer_begin (&x, "error");
      ks_xml_writer_element_int (&x, "code", status);
      ks_xml_writer_element (&x, "description", message);
      ks_xml_writer_end (&x);
      ks_xml_writer_end (&x);
      ks_open311_set_type (req, XML_TYPE);
    }
}

void
ks_open311_error (KsOpen311Ctx *c,
                  guint         status,
                  const char   *format,
                  ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  ks_api_open311_write_error (c->req, c->json ? ".json" : ".xml", status, message);
}

void
ks_open311_gerror (KsOpen311Ctx *c,
                   const GError *error)
{
  guint status = 500;

  if (error->domain == KS_ERROR)
    status = ks_error_http_status (error->code);
  /* The database away: come back shortly (the cause is logged, not answered). */
  if (error->domain == KS_ERROR && error->code == KS_ERROR_UNAVAILABLE)
    ks_request_add_header (c->req, "Retry-After", KS_RETRY_AFTER_UNAVAILABLE);
  if (status >= 500)
    {
      g_warning ("%s %s: %s", c->req->method, c->req->path, error->message);
      ks_open311_error (c, status, "The server could not complete this request. Try again later.");
    }
  else
    ks_open311_error (c, status, "%s", error->message);
}

/* Starts an answer in the request's format. */
void
ks_open311_begin_answer (KsOpen311Ctx *c,
                         guint         status,
                         KsXmlWriter  *x,
                         KsJsonWriter *w)
{
  g_string_truncate (c->req->response, 0);
  c->req->status = status;
  if (c->json)
    {
      ks_json_writer_init (w, c->req->response);
      ks_open311_set_type (c->req, JSON_TYPE);
    }
  else
    {
      ks_xml_writer_init (x, c->req->response);
      ks_open311_set_type (c->req, XML_TYPE);
    }
}
