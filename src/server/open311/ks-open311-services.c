/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-open311-services.c: Open311 discovery and services: the list of services
 * (a council's categories) and each one's definition (its extra questions). */
#define G_LOG_DOMAIN "ks-open311-services"

#include "open311/ks-open311-private.h"

/* ---------------------------------------------------------------------------
 * Service definitions: a category's extra questions
 * ------------------------------------------------------------------------- */

static gboolean
has_visible_attributes (const char *extra)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GArray) attrs = service_attributes (parser, extra);
  return attrs->len > 0;
}

/* ---------------------------------------------------------------------------
 * GET discovery
 * ------------------------------------------------------------------------- */

static void
handle_discovery (KsRequest *req)
{
  g_auto(KsOpen311Ctx) c = { 0 };
  g_autofree char *url = NULL;
  const char *base = req->config->public_url ? req->config->public_url : "";
  const char *contact;
  const char *key_service;
  KsXmlWriter x;
  KsJsonWriter w;

  if (!ks_open311_ctx_begin (&c, req, FALSE))
    return;
  url = g_strconcat (base, g_str_has_suffix (base, "/") ? "" : "/", "open311/v2", NULL);
  contact = c.body.email ? c.body.email : c.body.name;
  key_service = "Ask the council for an API key; council administrators make them "
                "in Kerbside (Administration, API keys).";

  ks_open311_begin_answer (&c, 200, &x, &w);
  if (c.json)
    {
      ks_json_writer_begin_object (&w);
      ks_json_writer_member_string (&w, "changeset", OPEN311_CHANGESET);
      ks_json_writer_member_string (&w, "contact", contact);
      ks_json_writer_member_string (&w, "key_service", key_service);
      ks_json_writer_key (&w, "endpoints");
      ks_json_writer_begin_array (&w);
      ks_json_writer_begin_object (&w);
      ks_json_writer_member_string (&w, "specification", OPEN311_SPEC);
      ks_json_writer_member_string (&w, "url", url);
      ks_json_writer_member_string (&w, "changeset", OPEN311_CHANGESET);
      ks_json_writer_member_string (&w, "type", "production");
      ks_json_writer_key (&w, "formats");
      ks_json_writer_begin_array (&w);
      ks_json_writer_string (&w, "text/xml");
      ks_json_writer_string (&w, "application/json");
      ks_json_writer_end_array (&w);
      ks_json_writer_end_object (&w);
      ks_json_writer_end_array (&w);
      ks_json_writer_end_object (&w);
      return;
    }
  ks_xml_writer_begin (&x, "discovery");
  ks_xml_writer_element (&x, "changeset", OPEN311_CHANGESET);
  ks_xml_writer_element (&x, "contact", contact);
  ks_xml_writer_element (&x, "key_service", key_service);
  ks_xml_writer_begin (&x, "endpoints");
  ks_xml_writer_begin (&x, "endpoint");
  ks_xml_writer_element (&x, "specification", OPEN311_SPEC);
  ks_xml_writer_element (&x, "url", url);
  ks_xml_writer_element (&x, "changeset", OPEN311_CHANGESET);
  ks_xml_writer_element (&x, "type", "production");
  ks_xml_writer_begin (&x, "formats");
  ks_xml_writer_element (&x, "format", "text/xml");
  ks_xml_writer_element (&x, "format", "application/json");
  ks_xml_writer_end (&x);
  ks_xml_writer_end (&x);
  ks_xml_writer_end (&x);
  ks_xml_writer_end (&x);
}

/* ---------------------------------------------------------------------------
 * GET services, services/{code}
 * ------------------------------------------------------------------------- */

static void
handle_services (KsRequest *req)
{
  g_auto(KsOpen311Ctx) c = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) services = NULL;
  KsXmlWriter x;
  KsJsonWriter w;

  if (!ks_open311_ctx_begin (&c, req, FALSE))
    return;
  if (!ks_store_open311_list_services (req->store, c.body.id, &services, &error))
    {
      ks_open311_gerror (&c, error);
      return;
    }

  ks_open311_begin_answer (&c, 200, &x, &w);
  if (c.json)
    ks_json_writer_begin_array (&w);
  else
    ks_xml_writer_begin (&x, "services");

  for (guint i = 0; i < services->len; i++)
    {
      KsOpen311Service *s = g_ptr_array_index (services, i);
      g_auto(GStrv) groups = NULL;
      gboolean metadata;
      guint n_groups;

      if (!s->active || s->is_private)
        continue;
      groups = g_strsplit (s->group_name ? s->group_name : "", "|", -1);
      n_groups = g_strv_length (groups);
      metadata = has_visible_attributes (s->extra);

      if (c.json)
        {
          ks_json_writer_begin_object (&w);
          ks_json_writer_member_string (&w, "service_code", s->code);
          ks_json_writer_member_string (&w, "service_name", s->name);
          ks_json_writer_member_string (&w, "description", s->description);
          ks_json_writer_member_bool (&w, "metadata", metadata);
          ks_json_writer_member_string (&w, "type", "realtime");
          ks_json_writer_member_string (&w, "keywords", "");
          ks_json_writer_member_string (&w, "group", n_groups > 0 ? groups[0] : "");
          if (n_groups > 1)
            {
              ks_json_writer_key (&w, "groups");
              ks_json_writer_begin_array (&w);
              for (guint g = 0; g < n_groups; g++)
                ks_json_writer_string (&w, groups[g]);
              ks_json_writer_end_array (&w);
            }
          ks_json_writer_end_object (&w);
        }
      else
        {
          ks_xml_writer_begin (&x, "service");
          ks_xml_writer_element (&x, "service_code", s->code);
          ks_xml_writer_element (&x, "service_name", s->name);
          ks_xml_writer_element (&x, "description", s->description);
          ks_xml_writer_element_bool (&x, "metadata", metadata);
          ks_xml_writer_element (&x, "type", "realtime");
          ks_xml_writer_element (&x, "keywords", NULL);
          ks_xml_writer_element (&x, "group", n_groups > 0 ? groups[0] : NULL);
          if (n_groups > 1)
            {
              ks_xml_writer_begin (&x, "groups");
              for (guint g = 0; g < n_groups; g++)
                ks_xml_writer_element (&x, "group", groups[g]);
              ks_xml_writer_end (&x);
            }
          ks_xml_writer_end (&x);
        }
    }

  if (c.json)
    ks_json_writer_end_array (&w);
  else
    ks_xml_writer_end (&x);
}

static void
handle_service_definition (KsRequest *req)
{
  g_auto(KsOpen311Ctx) c = { 0 };
  g_autoptr(GError) error = NULL;
  g_auto(KsOpen311Service) s = { 0 };
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GArray) attrs = NULL;
  g_autofree char *code = NULL;
  gboolean found = FALSE;
  KsXmlWriter x;
  KsJsonWriter w;

  if (!ks_open311_ctx_begin (&c, req, FALSE))
    return;
  code = ks_open311_strip_format (ks_request_param (req, "code"));
  if (code == NULL)
    {
      ks_open311_error (&c, 404, "There is nothing at this address: end it in .xml or .json.");
      return;
    }
  if (!ks_store_open311_get_service (req->store, c.body.id, code, &found, &s, &error))
    {
      ks_open311_gerror (&c, error);
      return;
    }
  if (!found || !s.active || s.is_private)
    {
      ks_open311_error (&c, 404, "There is no service “%s”. GET services.xml for the list of services.", code);
      return;
    }

  parser = json_parser_new ();
  attrs = service_attributes (parser, s.extra);

  ks_open311_begin_answer (&c, 200, &x, &w);
  if (c.json)
    {
      ks_json_writer_begin_object (&w);
      ks_json_writer_member_string (&w, "service_code", s.code);
      ks_json_writer_key (&w, "attributes");
      ks_json_writer_begin_array (&w);
    }
  else
    {
      ks_xml_writer_begin (&x, "service_definition");
      ks_xml_writer_element (&x, "service_code", s.code);
      ks_xml_writer_begin (&x, "attributes");
    }

  for (guint i = 0; i < attrs->len; i++)
    {
      const Attribute *a = &g_array_index (attrs, Attribute, i);
      guint n_values = a->values ? json_array_get_length (a->values) : 0;

      if (c.json)
        {
          ks_json_writer_begin_object (&w);
          ks_json_writer_member_bool (&w, "variable", a->variable);
          ks_json_writer_member_string (&w, "code", a->code);
          ks_json_writer_member_string (&w, "datatype", a->datatype);
          ks_json_writer_member_bool (&w, "required", a->required);
          ks_json_writer_member_string (&w, "datatype_description", a->datatype_description);
          ks_json_writer_member_int (&w, "order", a->order);
          ks_json_writer_member_string (&w, "description", a->description);
          if (a->hidden_field)
            ks_json_writer_member_string (&w, "automated", "hidden_field");
          ks_json_writer_key (&w, "values");
          ks_json_writer_begin_array (&w);
        }
      else
        {
          ks_xml_writer_begin (&x, "attribute");
          ks_xml_writer_element_bool (&x, "variable", a->variable);
          ks_xml_writer_element (&x, "code", a->code);
          ks_xml_writer_element (&x, "datatype", a->datatype);
          ks_xml_writer_element_bool (&x, "required", a->required);
          ks_xml_writer_element (&x, "datatype_description", a->datatype_description);
          ks_xml_writer_element_int (&x, "order", a->order);
          ks_xml_writer_element (&x, "description", a->description);
          if (a->hidden_field)
            ks_xml_writer_element (&x, "automated", "hidden_field");
          ks_xml_writer_begin (&x, "values");
        }
      for (guint v = 0; v < n_values; v++)
        {
          JsonNode *n = json_array_get_element (a->values, v);
          g_autofree char *key = NULL, *name = NULL;

          if (!JSON_NODE_HOLDS_OBJECT (n))
            continue;
          key = value_text (json_node_get_object (n), "key");
          name = value_text (json_node_get_object (n), "name");
          if (c.json)
            {
              ks_json_writer_begin_object (&w);
              ks_json_writer_member_string (&w, "key", key);
              ks_json_writer_member_string (&w, "name", name);
              ks_json_writer_end_object (&w);
            }
          else
            {
              ks_xml_writer_begin (&x, "value");
              ks_xml_writer_element (&x, "key", key);
              ks_xml_writer_element (&x, "name", name);
              ks_xml_writer_end (&x);
            }
        }
      if (c.json)
        {
          ks_json_writer_end_array (&w);
          ks_json_writer_end_object (&w);
        }
      else
        {
          ks_xml_writer_end (&x);
          ks_xml_writer_end (&x);
        }
    }

  if (c.json)
    {
      ks_json_writer_end_array (&w);
      ks_json_writer_end_object (&w);
    }
  else
    {
      ks_xml_writer_end (&x);
      ks_xml_writer_end (&x);
    }
}

void
ks_open311_services_register (KsRouter *router)
{
  const KsRouteFlags pub = KS_ROUTE_PUBLIC | KS_ROUTE_RAW;

  ks_router_add (router, "GET", "/open311/v2/discovery.xml", pub, KS_PERM_NONE, handle_discovery);
  ks_router_add (router, "GET", "/open311/v2/discovery.json", pub, KS_PERM_NONE, handle_discovery);
  ks_router_add (router, "GET", "/open311/v2/services.xml", pub, KS_PERM_NONE, handle_services);
  ks_router_add (router, "GET", "/open311/v2/services.json", pub, KS_PERM_NONE, handle_services);
  /* {code}.xml / {code}.json: the handler reads the format from the ending. */
  ks_router_add (router, "GET", "/open311/v2/services/{code}", pub, KS_PERM_NONE,
                 handle_service_definition);
}
