/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz-json-body.c: the server's JSON body reader (ks_request_json_object()).
 *
 * Any bytes as a request body. The reader must answer 400 with a JSON error or give
 * an object; and the depth guard in front of json-glib (whose parser recurses once
 * a level, so a deep body would overflow a worker's stack) must see every level
 * json-glib builds: an accepted body never nests deeper than the guard's limit. */
#include "http/ks-request.h"

#include <stdint.h>
#include <stdlib.h>

static guint
tree_depth (JsonNode *node)
{
  guint deepest = 0;

  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObjectIter it;
      JsonNode *member;
      json_object_iter_init (&it, json_node_get_object (node));
      while (json_object_iter_next (&it, NULL, &member))
        {
          guint d = tree_depth (member);
          deepest = MAX (deepest, d);
        }
      return deepest + 1;
    }
  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *a = json_node_get_array (node);
      for (guint i = 0; i < json_array_get_length (a); i++)
        {
          guint d = tree_depth (json_array_get_element (a, i));
          deepest = MAX (deepest, d);
        }
      return deepest + 1;
    }
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autoptr(KsRequest) req = ks_request_new ();
  g_autoptr(JsonParser) check = NULL;
  JsonObject *obj;

  if (size > 0)
    req->body = g_bytes_new (data, size);
  obj = ks_request_json_object (req);
  if (obj == NULL)
    {
      /* Refused: a 400 with the {"error": ...} shape. */
      if (req->status != 400)
        abort ();
      check = json_parser_new ();
      if (!json_parser_load_from_data (check, req->response->str, req->response->len, NULL))
        abort ();
      return 0;
    }
  if (tree_depth (json_parser_get_root (req->parser)) > KS_REQUEST_JSON_MAX_DEPTH)
    abort ();
  /* The same object the second time (the parse is cached). */
  if (ks_request_json_object (req) != obj)
    abort ();
  return 0;
}
