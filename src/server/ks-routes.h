/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-routes.h: every route kerbside-server answers, gathered from the areas. */
#pragma once

#include "http/ks-router.h"

G_BEGIN_DECLS

void ks_api_register_routes (KsRouter *router);

G_END_DECLS
