/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-places-locate.h: placing an address written in one line with the council's
 * gazetteer (Open311 requests that give only address_string). */
#pragma once

#include "store/ks-store.h"

G_BEGIN_DECLS

/* The point of the address: its postcode's when the gazetteer has it, else the
 * first of its parts ("12 High Street, Oxford" -> "High Street") that names a
 * street of the gazetteer, or is the start of one ("High St"). A town or a
 * district alone does not place it.
 * *found FALSE when nothing matches; out_name (nullable) names the place used. */
gboolean ks_places_locate (KsStore     *store,
                           gint64       body_id,
                           const char  *address,
                           gboolean    *found,
                           double      *out_lat,
                           double      *out_lon,
                           char       **out_name,
                           GError     **error);

G_END_DECLS
