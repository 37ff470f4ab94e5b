/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-api-category-extra.h: a category's "groups" and "extra" questions as a
 * request gives them, checked and rewritten as the store keeps them. */
#pragma once

#include "http/ks-request.h"

G_BEGIN_DECLS

/* "extra": validated and rewritten as stored; *out stays NULL when absent. */
gboolean ks_api_category_get_extra  (KsRequest *req, JsonObject *obj, char **out);
/* "groups": a list of group names, stored '|'-separated; *out stays NULL when absent. */
/* A list of names ("groups" of a category, "wards" of a staff member) kept as
 * '|'-separated text; up to max_names (0: the categories' limit). */
gboolean ks_api_category_get_groups (KsRequest *req, JsonObject *obj, const char *field,
                                     guint max_names, char **out);

G_END_DECLS
