/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-demo-photos.h: the demo's photos: small procedural PNG pictures (a pothole in
 * the asphalt, a lamp post, a pile of rubbish bags, a wall with graffiti) written
 * into the media directory, which the demo reports point at. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
  KS_DEMO_SCENE_ROAD,      /* asphalt with a pothole */
  KS_DEMO_SCENE_LAMP,      /* a lamp post against the sky */
  KS_DEMO_SCENE_BAGS,      /* rubbish bags on the pavement */
  KS_DEMO_SCENE_WALL,      /* a brick wall with graffiti */
  KS_DEMO_N_SCENES
} KsDemoScene;

#define KS_DEMO_PHOTOS_PER_SCENE 6
#define KS_DEMO_N_PHOTOS (KS_DEMO_N_SCENES * KS_DEMO_PHOTOS_PER_SCENE)

/* The scene that suits a demo category (by its code). */
KsDemoScene ks_demo_photo_scene   (const char *category_code);

/* Draws the demo photos and writes them into dir (the same seed gives the same
 * pictures and names). refs[scene * KS_DEMO_PHOTOS_PER_SCENE + variant] receives
 * each photo's reference, "/api/v1/media/NAME" (free them with g_free). */
gboolean    ks_demo_photos_write  (const char *dir, guint32 seed,
                                   char *refs[KS_DEMO_N_PHOTOS], GError **error);

/* Encodes an 8-bit RGB image (rows of width * 3 bytes) as a PNG file. */
GBytes     *ks_png_encode_rgb     (const guint8 *rgb, guint width, guint height,
                                   GError **error);

G_END_DECLS
