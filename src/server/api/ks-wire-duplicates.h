/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-wire-duplicates.h: a report's duplicate links in its detail. */
#pragma once

#include "ks-json-writer.h"
#include "store/ks-store.h"

G_BEGIN_DECLS

/* Writes the members "duplicate_of" and "duplicates" into the open object. */
gboolean ks_wire_duplicates_write_links (KsStore      *store,
                                         gint64        report_id,
                                         KsJsonWriter *w,
                                         GError      **error);

G_END_DECLS
