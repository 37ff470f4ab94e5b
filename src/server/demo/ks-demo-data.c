/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-demo-data.c: Oxford's wards, streets and parks, the demo categories with the
 * words residents use for them, and the texts staff answer with. Coordinates are
 * approximate (to a few tens of metres), which is all a demo needs. */
#define G_LOG_DOMAIN "ks-demo"

#include "demo/ks-demo-data.h"
#include "ks-permissions.h"

/* The wards of Oxford City Council (2022 boundaries) and their rough centres. */
const KsDemoWard ks_demo_wards[] = {
  { "Barton & Sandhills",         51.7655, -1.1860 },
  { "Blackbird Leys",             51.7210, -1.1915 },
  { "Carfax & Jericho",           51.7555, -1.2625 },
  { "Churchill",                  51.7500, -1.2000 },
  { "Cowley",                     51.7320, -1.2060 },
  { "Cutteslowe & Sunnymead",     51.7890, -1.2640 },
  { "Donnington",                 51.7385, -1.2390 },
  { "Headington",                 51.7605, -1.2150 },
  { "Headington Hill & Northway", 51.7700, -1.2290 },
  { "Hinksey Park",               51.7380, -1.2555 },
  { "Holywell",                   51.7570, -1.2510 },
  { "Littlemore",                 51.7210, -1.2220 },
  { "Lye Valley",                 51.7440, -1.2070 },
  { "Marston",                    51.7745, -1.2380 },
  { "Northfield Brook",           51.7170, -1.2030 },
  { "Osney & St Thomas",          51.7510, -1.2740 },
  { "Quarry & Risinghurst",       51.7580, -1.1940 },
  { "Rose Hill & Iffley",         51.7295, -1.2290 },
  { "St Clement's",               51.7530, -1.2390 },
  { "St Mary's",                  51.7460, -1.2390 },
  { "Summertown",                 51.7775, -1.2670 },
  { "Temple Cowley",              51.7395, -1.2190 },
  { "Walton Manor",               51.7660, -1.2710 },
  { "Wolvercote",                 51.7845, -1.2890 },
};
const guint ks_demo_n_wards = G_N_ELEMENTS (ks_demo_wards);

#define M KS_DEMO_PLACE_MAIN
#define C KS_DEMO_PLACE_CENTRE
#define R KS_DEMO_PLACE_RESIDENTIAL
#define P KS_DEMO_PLACE_PARK

const KsDemoStreet ks_demo_streets[] = {
  /* City centre */
  { "Cornmarket Street",        51.7522, -1.2581, 51.7547, -1.2588, C, 6 },
  { "Queen Street",             51.7518, -1.2601, 51.7520, -1.2580, C, 4 },
  { "High Street",              51.7522, -1.2570, 51.7508, -1.2478, C, 6 },
  { "Broad Street",             51.7547, -1.2578, 51.7543, -1.2547, C, 3 },
  { "St Aldate's",              51.7518, -1.2576, 51.7445, -1.2557, C, 4 },
  { "George Street",            51.7537, -1.2620, 51.7542, -1.2590, C, 4 },
  { "Magdalen Street",          51.7547, -1.2588, 51.7556, -1.2594, C, 2 },
  { "Turl Street",              51.7530, -1.2562, 51.7543, -1.2562, C, 1 },
  { "Park End Street",          51.7527, -1.2690, 51.7534, -1.2628, M, 3 },
  { "Hythe Bridge Street",      51.7538, -1.2660, 51.7540, -1.2620, M, 2 },
  { "New Road",                 51.7522, -1.2640, 51.7521, -1.2605, C, 2 },
  { "Castle Street",            51.7510, -1.2610, 51.7517, -1.2592, C, 2 },
  { "Speedwell Street",         51.7480, -1.2610, 51.7484, -1.2570, R, 1 },
  { "Gloucester Green",         51.7540, -1.2615, 51.7546, -1.2605, C, 2 },
  { "Oxpens Road",              51.7495, -1.2645, 51.7475, -1.2590, M, 2 },
  { "Thames Street",            51.7477, -1.2600, 51.7473, -1.2570, R, 1 },
  { "Longwall Street",          51.7530, -1.2505, 51.7555, -1.2512, M, 1 },
  { "Holywell Street",          51.7553, -1.2530, 51.7547, -1.2485, R, 1 },
  { "St Cross Road",            51.7545, -1.2490, 51.7605, -1.2495, M, 1 },
  { "South Parks Road",         51.7585, -1.2560, 51.7580, -1.2500, M, 1 },
  { "Parks Road",               51.7548, -1.2557, 51.7620, -1.2575, M, 2 },
  { "Keble Road",               51.7597, -1.2590, 51.7598, -1.2560, R, 1 },
  { "St Giles",                 51.7557, -1.2597, 51.7603, -1.2603, M, 3 },
  { "Christ Church Meadow",     51.7480, -1.2540, 51.7475, -1.2490, P, 1 },
  { "University Parks",         51.7615, -1.2560, 51.7665, -1.2510, P, 2 },
  /* Jericho, Walton Manor and North Oxford */
  { "Walton Street",            51.7555, -1.2635, 51.7630, -1.2690, R, 3 },
  { "Great Clarendon Street",   51.7595, -1.2635, 51.7590, -1.2683, R, 1 },
  { "Cranham Street",           51.7608, -1.2640, 51.7604, -1.2680, R, 1 },
  { "Observatory Street",       51.7617, -1.2620, 51.7620, -1.2660, R, 1 },
  { "Kingston Road",            51.7630, -1.2680, 51.7735, -1.2712, R, 2 },
  { "Woodstock Road",           51.7603, -1.2610, 51.7920, -1.2790, M, 5 },
  { "Banbury Road",             51.7603, -1.2600, 51.7930, -1.2660, M, 5 },
  { "Leckford Road",            51.7640, -1.2640, 51.7645, -1.2685, R, 1 },
  { "Polstead Road",            51.7665, -1.2675, 51.7667, -1.2720, R, 1 },
  { "Aristotle Lane",           51.7650, -1.2690, 51.7680, -1.2735, R, 1 },
  { "Port Meadow",              51.7690, -1.2800, 51.7790, -1.2850, P, 2 },
  /* Summertown */
  { "South Parade",             51.7737, -1.2648, 51.7742, -1.2700, C, 2 },
  { "Middle Way",               51.7760, -1.2660, 51.7830, -1.2665, R, 1 },
  { "Lonsdale Road",            51.7770, -1.2680, 51.7775, -1.2740, R, 1 },
  { "Squitchey Lane",           51.7815, -1.2690, 51.7830, -1.2760, R, 1 },
  { "Hernes Road",              51.7855, -1.2650, 51.7860, -1.2720, R, 1 },
  { "Marston Ferry Road",       51.7745, -1.2590, 51.7735, -1.2440, M, 2 },
  { "Beech Croft Road",         51.7710, -1.2640, 51.7715, -1.2600, R, 1 },
  { "Mayfield Road",            51.7765, -1.2630, 51.7790, -1.2625, R, 1 },
  /* Cutteslowe and Sunnymead */
  { "Harbord Road",             51.7905, -1.2700, 51.7920, -1.2630, R, 1 },
  { "Wentworth Road",           51.7905, -1.2645, 51.7935, -1.2620, R, 1 },
  { "Sunderland Avenue",        51.7915, -1.2790, 51.7925, -1.2680, M, 1 },
  { "Templar Road",             51.7850, -1.2710, 51.7880, -1.2720, R, 1 },
  { "Cutteslowe Park",          51.7905, -1.2600, 51.7940, -1.2555, P, 2 },
  /* Wolvercote */
  { "First Turn",               51.7868, -1.2870, 51.7830, -1.2960, R, 1 },
  { "Godstow Road",             51.7830, -1.2960, 51.7880, -1.3010, M, 1 },
  { "Wolvercote Green",         51.7812, -1.2905, 51.7800, -1.2870, R, 1 },
  { "Five Mile Drive",          51.7815, -1.2820, 51.7855, -1.2800, R, 1 },
  /* Osney and St Thomas */
  { "Botley Road",              51.7530, -1.2700, 51.7510, -1.2950, M, 4 },
  { "Osney Lane",               51.7500, -1.2660, 51.7502, -1.2700, R, 1 },
  { "Bridge Street",            51.7520, -1.2720, 51.7500, -1.2720, R, 1 },
  { "Becket Street",            51.7505, -1.2665, 51.7525, -1.2670, R, 1 },
  { "Abbey Road",               51.7545, -1.2715, 51.7560, -1.2750, R, 1 },
  { "Mill Street",              51.7510, -1.2700, 51.7490, -1.2710, R, 1 },
  { "Ferry Hinksey Road",       51.7525, -1.2790, 51.7490, -1.2810, R, 1 },
  { "Binsey Lane",              51.7540, -1.2790, 51.7620, -1.2800, R, 1 },
  /* Hinksey Park and Grandpont */
  { "Abingdon Road",            51.7445, -1.2557, 51.7280, -1.2500, M, 4 },
  { "Marlborough Road",         51.7450, -1.2570, 51.7410, -1.2570, R, 1 },
  { "Lake Street",              51.7418, -1.2565, 51.7405, -1.2530, R, 1 },
  { "Weirs Lane",               51.7340, -1.2510, 51.7325, -1.2565, R, 1 },
  { "Canning Crescent",         51.7350, -1.2540, 51.7360, -1.2580, R, 1 },
  { "Hinksey Park",             51.7385, -1.2570, 51.7405, -1.2600, P, 1 },
  /* Cowley Road, Iffley Road and St Clement's */
  { "Cowley Road",              51.7500, -1.2440, 51.7430, -1.2320, C, 6 },
  { "Cowley Road",              51.7430, -1.2320, 51.7370, -1.2170, M, 3 },
  { "Iffley Road",              51.7500, -1.2440, 51.7330, -1.2355, M, 4 },
  { "Magdalen Road",            51.7440, -1.2345, 51.7410, -1.2390, R, 2 },
  { "James Street",             51.7475, -1.2380, 51.7465, -1.2410, R, 1 },
  { "Divinity Road",            51.7470, -1.2330, 51.7500, -1.2280, R, 1 },
  { "Stockmore Street",         51.7460, -1.2360, 51.7445, -1.2370, R, 1 },
  { "Bullingdon Road",          51.7455, -1.2370, 51.7430, -1.2400, R, 1 },
  { "Howard Street",            51.7420, -1.2370, 51.7400, -1.2400, R, 1 },
  { "Jeune Street",             51.7488, -1.2410, 51.7480, -1.2430, R, 1 },
  { "East Avenue",              51.7455, -1.2335, 51.7478, -1.2360, R, 1 },
  { "South Park",               51.7525, -1.2415, 51.7555, -1.2335, P, 2 },
  { "St Clement's Street",      51.7505, -1.2465, 51.7530, -1.2405, C, 3 },
  { "London Place",             51.7530, -1.2405, 51.7545, -1.2385, M, 1 },
  { "Marston Road",             51.7545, -1.2410, 51.7680, -1.2420, M, 2 },
  { "Morrell Avenue",           51.7515, -1.2400, 51.7490, -1.2330, R, 1 },
  { "Headington Road",          51.7545, -1.2385, 51.7590, -1.2230, M, 3 },
  /* Donnington */
  { "Donnington Bridge Road",   51.7385, -1.2460, 51.7370, -1.2350, M, 2 },
  { "Meadow Lane",              51.7400, -1.2420, 51.7350, -1.2420, R, 1 },
  { "Fairacres Road",           51.7400, -1.2400, 51.7370, -1.2400, R, 1 },
  { "Cornwallis Road",          51.7380, -1.2290, 51.7360, -1.2260, R, 1 },
  /* Temple Cowley and Cowley */
  { "Florence Park",            51.7355, -1.2250, 51.7375, -1.2215, P, 2 },
  { "Oxford Road",              51.7370, -1.2170, 51.7325, -1.2085, M, 2 },
  { "Hollow Way",               51.7340, -1.2080, 51.7480, -1.2010, M, 2 },
  { "Temple Road",              51.7380, -1.2140, 51.7400, -1.2180, R, 1 },
  { "Crescent Road",            51.7340, -1.2120, 51.7355, -1.2030, R, 1 },
  { "Between Towns Road",       51.7330, -1.2110, 51.7315, -1.1990, C, 3 },
  { "Garsington Road",          51.7330, -1.1990, 51.7290, -1.1800, M, 2 },
  { "Rymers Lane",              51.7410, -1.2110, 51.7380, -1.2080, R, 1 },
  { "Church Cowley Road",       51.7345, -1.2220, 51.7310, -1.2160, R, 1 },
  { "Templars Square",          51.7325, -1.2095, 51.7320, -1.2070, C, 2 },
  /* Lye Valley and Churchill */
  { "Girdlestone Road",         51.7470, -1.2140, 51.7500, -1.2090, R, 1 },
  { "Titup Hall Drive",         51.7490, -1.1980, 51.7530, -1.1960, R, 1 },
  { "Old Road",                 51.7535, -1.2120, 51.7520, -1.1990, M, 2 },
  { "Churchill Drive",          51.7515, -1.2030, 51.7500, -1.2070, R, 1 },
  { "The Slade",                51.7470, -1.2050, 51.7420, -1.1980, M, 1 },
  { "Peat Moors",               51.7455, -1.2150, 51.7440, -1.2110, R, 1 },
  /* Headington */
  { "London Road",              51.7590, -1.2230, 51.7618, -1.1960, M, 4 },
  { "Windmill Road",            51.7540, -1.2170, 51.7610, -1.2170, R, 2 },
  { "Old High Street",          51.7620, -1.2110, 51.7650, -1.2100, R, 1 },
  { "Osler Road",               51.7590, -1.2160, 51.7560, -1.2140, R, 1 },
  { "Bury Knowle Park",         51.7605, -1.2095, 51.7625, -1.2065, P, 1 },
  { "Sandfield Road",           51.7620, -1.2250, 51.7650, -1.2200, R, 1 },
  { "Lime Walk",                51.7560, -1.2180, 51.7580, -1.2190, R, 1 },
  /* Headington Hill, Northway and Marston */
  { "Headley Way",              51.7640, -1.2300, 51.7695, -1.2250, M, 2 },
  { "Maltfield Road",           51.7745, -1.2285, 51.7760, -1.2245, R, 1 },
  { "Marsh Lane",               51.7700, -1.2350, 51.7760, -1.2310, R, 1 },
  { "Cherwell Drive",           51.7650, -1.2360, 51.7700, -1.2300, R, 1 },
  { "Oxford Road, Old Marston", 51.7680, -1.2420, 51.7750, -1.2380, R, 1 },
  { "Mill Lane",                51.7755, -1.2380, 51.7770, -1.2330, R, 1 },
  { "Elsfield Road",            51.7730, -1.2410, 51.7790, -1.2390, R, 1 },
  /* Barton, Sandhills, Quarry and Risinghurst */
  { "Bayswater Road",           51.7660, -1.1930, 51.7700, -1.1870, R, 1 },
  { "Underhill Circus",         51.7660, -1.1870, 51.7670, -1.1840, R, 1 },
  { "Barton Village Road",      51.7650, -1.1850, 51.7675, -1.1820, R, 1 },
  { "Delbush Avenue",           51.7640, -1.1810, 51.7660, -1.1760, R, 1 },
  { "Quarry Road",              51.7575, -1.2000, 51.7560, -1.1940, R, 1 },
  { "Gladstone Road",           51.7580, -1.2040, 51.7560, -1.2020, R, 1 },
  { "Pitts Road",               51.7600, -1.2020, 51.7610, -1.1990, R, 1 },
  { "Downside Road",            51.7590, -1.1880, 51.7595, -1.1820, R, 1 },
  { "Kiln Lane",                51.7570, -1.1910, 51.7580, -1.1860, R, 1 },
  /* Rose Hill, Iffley and Littlemore */
  { "Rose Hill",                51.7330, -1.2300, 51.7290, -1.2230, M, 2 },
  { "Church Way",               51.7330, -1.2390, 51.7290, -1.2370, R, 1 },
  { "Ashhurst Way",             51.7285, -1.2230, 51.7270, -1.2190, R, 1 },
  { "The Oval",                 51.7300, -1.2230, 51.7290, -1.2260, R, 1 },
  { "Sandford Road",            51.7230, -1.2270, 51.7170, -1.2190, R, 1 },
  { "Oxford Road, Littlemore",  51.7260, -1.2260, 51.7200, -1.2140, M, 1 },
  { "Cowley Road, Littlemore",  51.7250, -1.2190, 51.7220, -1.2120, R, 1 },
  { "Newman Road",              51.7210, -1.2240, 51.7190, -1.2210, R, 1 },
  /* Blackbird Leys, Northfield Brook and Greater Leys */
  { "Blackbird Leys Road",      51.7255, -1.2005, 51.7215, -1.1840, M, 3 },
  { "Pegasus Road",             51.7200, -1.1950, 51.7165, -1.1900, R, 2 },
  { "Knights Road",             51.7180, -1.1870, 51.7160, -1.1830, R, 1 },
  { "Cuddesdon Way",            51.7235, -1.1930, 51.7245, -1.1860, R, 1 },
  { "Blackbird Leys Park",      51.7190, -1.1940, 51.7205, -1.1905, P, 1 },
  { "Balfour Road",             51.7270, -1.2020, 51.7250, -1.2060, R, 1 },
  { "Sandy Lane",               51.7300, -1.2040, 51.7250, -1.2060, R, 1 },
  { "Field Avenue",             51.7160, -1.2040, 51.7140, -1.1990, R, 1 },
  { "Dunnock Way",              51.7140, -1.1990, 51.7120, -1.1930, R, 1 },
};
const guint ks_demo_n_streets = G_N_ELEMENTS (ks_demo_streets);

#undef M
#undef C
#undef R
#undef P

#define POOL(name, ...) static const char * const name[] = { __VA_ARGS__, NULL }

/* Roads */
POOL (potholes_titles,
  "Deep pothole on {street} {near}",
  "Pothole {near} on {street}",
  "Large pothole in the cycle lane, {street}",
  "Several potholes along {street}",
  "Pothole damaging tyres on {street}",
  "Dangerous pothole {near}, {street}",
  "Pothole getting bigger on {street}",
  "Cyclists swerving round pothole on {street}");
POOL (potholes_details,
  "There is a pothole about the size of a dinner plate {near}.",
  "Large, deep pothole in the nearside lane {near}. Cars are swerving into the middle of the road to avoid it.",
  "The pothole has opened up again after the last repair and is now several centimetres deep.",
  "Deep hole in the road surface right where cyclists ride. It is full of water and hard to see after dark.",
  "A cluster of potholes has formed {near}; one of them is deep enough to damage a wheel.",
  "I hit this pothole on my bike this morning and nearly came off.");
POOL (potholes_fixed,
  "Our highways team has filled the pothole. Thank you for reporting it.",
  "The pothole on {street} was repaired today with a permanent patch.",
  "This has been made safe and a permanent repair has been completed.");
POOL (potholes_scheduled,
  "An inspector has visited and the repair is booked in with our contractor.",
  "This pothole meets our intervention level; a repair has been scheduled.");

POOL (surface_titles,
  "Crumbling road surface on {street}",
  "Road surface breaking up {near}",
  "Sunken road surface on {street}",
  "Loose gravel all over the road on {street}",
  "Rutted and uneven road {near}, {street}");
POOL (surface_details,
  "The tarmac is breaking up across the whole width of the road {near}.",
  "Loose stones from the failed surface are being thrown up by passing cars.",
  "There is a long dip in the road surface that fills with water whenever it rains.",
  "The road surface around the utility cover has sunk by a few centimetres.",
  "Patch repairs from last year have come away and the surface is very uneven.");
POOL (surface_fixed,
  "The damaged section of road surface has been resurfaced.",
  "Our contractor has patched the failed surface on {street}.");
POOL (surface_scheduled,
  "This section of {street} has been added to our resurfacing programme.",
  "A patching repair has been scheduled.");

POOL (kerbs_titles,
  "Broken kerb stone on {street}",
  "Loose kerb {near} on {street}",
  "Kerb knocked out of place {near}",
  "Dropped kerb damaged on {street}");
POOL (kerbs_details,
  "A kerb stone has been knocked loose and is sticking out into the road.",
  "The dropped kerb at the crossing is cracked and has a sharp edge, difficult for wheelchairs.",
  "Several kerb stones {near} are broken, probably by a lorry mounting the pavement.",
  "The kerb has come away completely and is lying in the gutter.");
POOL (kerbs_fixed,
  "The kerb has been reset and the damaged stones replaced.",
  "Our team has repaired the kerb on {street}.");
POOL (kerbs_scheduled,
  "A repair to the kerb has been scheduled with our highways team.");

/* Street lighting */
POOL (light_out_titles,
  "Street light not working on {street}",
  "Street light out {near}, {street}",
  "Lamp post {lamp} not working",
  "Street light flickering on and off, {street}",
  "Several street lights out along {street}",
  "Very dark stretch of {street} {near}");
POOL (light_out_details,
  "The street light {near} has been out for about {weeks} weeks. Lamp post number {lamp}.",
  "Light is flickering on and off all night. Lamp post {lamp}.",
  "Three lights in a row are out, making this part of {street} very dark for people walking home.",
  "The lamp comes on for a few minutes and then goes off again. Post number {lamp}.",
  "Street light not working; this is a route many people use to walk to the bus stop.");
POOL (light_out_fixed,
  "Our street lighting engineers have replaced the lamp and it is working again.",
  "The faulty unit in lamp post {lamp} has been replaced.",
  "The power supply fault has been repaired and the street light is back on.");
POOL (light_out_scheduled,
  "An electrician has been booked to replace the lamp unit.",
  "The fault is with the power supply; we have asked the network operator to attend.");

POOL (light_day_titles,
  "Street light on during the day on {street}",
  "Lamp post {lamp} lit all day",
  "Street lights on in daylight {near}");
POOL (light_day_details,
  "The street light {near} has been on all day, every day, for about {weeks} weeks.",
  "Lamp post {lamp} stays lit in bright sunshine; it looks like the sensor has failed.",
  "Several lights along {street} are on during the day, which seems a waste of energy.");
POOL (light_day_fixed,
  "The faulty light sensor has been replaced.",
  "Our engineers have fixed the photocell on lamp post {lamp}.");
POOL (light_day_scheduled,
  "A repair to the light sensor has been added to our electricians' schedule.");

POOL (lamp_post_titles,
  "Damaged lamp post on {street}",
  "Lamp post leaning after collision, {street}",
  "Lamp post {lamp} door missing, wires exposed",
  "Lamp post knocked over {near}");
POOL (lamp_post_details,
  "The lamp post {near} has been hit by a vehicle and is leaning badly towards the road.",
  "The access door at the base of lamp post {lamp} is missing and the wiring is exposed.",
  "The lamp post is cracked at the base and moves in the wind.",
  "Lamp post has been knocked down and is lying across the pavement.");
POOL (lamp_post_fixed,
  "The damaged lamp post has been replaced.",
  "A new door has been fitted to lamp post {lamp} and the wiring made safe.");
POOL (lamp_post_scheduled,
  "The lamp post has been made safe; a replacement column has been ordered.");

/* Fly-tipping and abandoned vehicles */
POOL (flytip_titles,
  "Fly-tipping on {street} {near}",
  "Dumped mattress on {street}",
  "Rubbish bags dumped {near}, {street}",
  "Builders' rubble dumped on {street}",
  "Sofa and furniture dumped on {street}",
  "Fridge left on the pavement, {street}",
  "Fly-tipped waste blocking the pavement on {street}");
POOL (flytip_details,
  "Someone has dumped a mattress and several black bags {near}.",
  "A pile of builders' rubble, plasterboard and paint tins has been left on the verge.",
  "An old sofa and two chairs have been dumped on the pavement and are blocking it for pushchairs.",
  "Bags of household rubbish have been torn open by foxes and are spread across the path.",
  "A fridge freezer and a broken washing machine have been left outside {near}.",
  "About ten bags of garden waste have been tipped into the hedge.");
POOL (flytip_fixed,
  "The fly-tipped waste has been cleared by our street scene team.",
  "This has been removed. We have searched the waste for evidence and will take action where we can.",
  "Cleared today. Thank you for letting us know.");
POOL (flytip_scheduled,
  "A crew has been asked to clear this within two working days.");

POOL (vehicle_titles,
  "Abandoned car on {street}",
  "Untaxed van parked for weeks {near}",
  "Burnt-out car on {street}",
  "Abandoned vehicle with flat tyres, {street}");
POOL (vehicle_details,
  "A silver hatchback has not moved for about {weeks} weeks. It has flat tyres and no tax.",
  "White van parked {near} for over a month, windows smashed.",
  "The car has been burnt out and is leaking fluids on to the road.",
  "A car with no number plates has been left {near} and is full of rubbish.");
POOL (vehicle_fixed,
  "The vehicle has been removed.",
  "The owner has been traced and has moved the vehicle.");
POOL (vehicle_scheduled,
  "A removal notice has been placed on the vehicle; it will be removed after seven days.");

/* Graffiti */
POOL (graffiti_titles,
  "Graffiti on wall {near}, {street}",
  "Tags sprayed on shop shutters, {street}",
  "Graffiti on the bus shelter {near}",
  "Graffiti on the bridge on {street}",
  "Graffiti on telecoms cabinet, {street}");
POOL (graffiti_details,
  "Large tags have been sprayed across the wall {near}.",
  "The bus shelter has been covered in graffiti again.",
  "Graffiti on the green telecoms cabinet {near}, it has been there for about {weeks} weeks.",
  "Spray paint tags on the shop shutters and the side of the building.",
  "Graffiti on the railway bridge, quite large and visible from the road.");
POOL (graffiti_fixed,
  "The graffiti has been removed by our cleansing team.",
  "This has been cleaned off. Thank you for reporting it.");
POOL (graffiti_scheduled,
  "Our graffiti removal team will attend within ten working days.");

POOL (offensive_titles,
  "Offensive graffiti on {street}",
  "Racist graffiti {near}, {street}",
  "Offensive words sprayed on wall, {street}");
POOL (offensive_details,
  "Offensive graffiti has been sprayed on the wall {near}; children walk past here to school.",
  "Racist slogans have been painted on the side of the building.",
  "Obscene drawings sprayed on the fence {near}. Please remove as soon as possible.");
POOL (offensive_fixed,
  "The offensive graffiti was removed today.",
  "This was painted over within 24 hours as a priority.");
POOL (offensive_scheduled,
  "Offensive graffiti is a priority; a team will remove it within 24 hours.");

/* Drainage */
POOL (drain_titles,
  "Blocked drain on {street}",
  "Drain full of leaves {near}",
  "Gully blocked, water not draining, {street}",
  "Smelly blocked drain {near}, {street}");
POOL (drain_details,
  "The road drain {near} is completely blocked with leaves and silt.",
  "Water is pooling over the drain and not going down at all after rain.",
  "The gully is blocked and there is a strong smell coming from it.",
  "Every time it rains a large puddle forms because the drain is blocked.");
POOL (drain_fixed,
  "The gully has been cleared by our drainage team.",
  "The drain has been jetted and is running freely again.");
POOL (drain_scheduled,
  "A gully cleaning crew has been booked for this street.");

POOL (flood_titles,
  "Flooding across the road on {street}",
  "Deep water {near}, {street}",
  "Pavement flooded on {street}",
  "Flooding under the bridge, {street}");
POOL (flood_details,
  "The road is flooded across its whole width {near}; cars are driving through very slowly.",
  "Deep standing water on the pavement means people are walking in the road.",
  "Water is coming up out of the drains after heavy rain and the road is impassable.",
  "There has been standing water here for several days and it is getting deeper.");
POOL (flood_fixed,
  "The flooding has gone down and the drains have been cleared.",
  "Our team cleared the blockage and the water has drained away.");
POOL (flood_scheduled,
  "Flood warning signs have been put out and the drainage team will attend.");

/* Pavements */
POOL (pavement_titles,
  "Broken paving slabs on {street}",
  "Uneven pavement {near}, {street}",
  "Cracked pavement on {street}",
  "Pavement lifted by tree roots, {street}",
  "Loose paving slabs {near}");
POOL (pavement_details,
  "Several paving slabs {near} are cracked and rocking when you step on them.",
  "The pavement has been lifted by the roots of the street tree and is very uneven.",
  "The tarmac pavement is breaking up; it is hard going with a pushchair.",
  "Broken slabs outside number {num}; an elderly neighbour tripped here last week.",
  "The pavement has sunk around a utility cover, leaving a lip of a few centimetres.");
POOL (pavement_fixed,
  "The damaged paving has been relaid.",
  "Our team has replaced the broken slabs on {street}.");
POOL (pavement_scheduled,
  "A footway repair has been scheduled.");

POOL (trip_titles,
  "Trip hazard on pavement, {street}",
  "Raised slab trip hazard {near}",
  "Hole in the pavement {near}, {street}",
  "Missing cover in footway on {street}");
POOL (trip_details,
  "A paving slab {near} is raised by about 4 cm; someone is going to fall.",
  "There is a deep hole in the pavement where a post has been removed.",
  "The cover of a utility box is missing, leaving a hole in the footway.",
  "My mother tripped on this raised slab outside number {num} and hurt her wrist.");
POOL (trip_fixed,
  "The trip hazard has been made safe and repaired.",
  "The hole has been filled and the pavement made level.");
POOL (trip_scheduled,
  "The area has been coned off and a permanent repair is booked.");

/* Parks */
POOL (park_titles,
  "Broken swing in the play area, {street}",
  "Damaged bench in {street}",
  "Broken fence around the playground, {street}",
  "Vandalised picnic table, {street}",
  "Goalposts damaged, {street}");
POOL (park_details,
  "One of the swings in the toddlers' play area has a broken chain.",
  "The bench {near} has had two slats pulled off and has nails sticking out.",
  "Part of the fence around the play area is down, so dogs are getting in.",
  "The picnic table has been set on fire and is badly charred.",
  "The goalposts on the football pitch are bent and one is coming out of the ground.");
POOL (park_fixed,
  "Our parks team has repaired the damage.",
  "The broken equipment has been replaced.");
POOL (park_scheduled,
  "The equipment has been taped off and a replacement part has been ordered.");

POOL (vegetation_titles,
  "Overgrown hedge blocking pavement on {street}",
  "Overhanging branches {near}, {street}",
  "Overgrown bushes hiding road sign, {street}",
  "Weeds and brambles across the path, {street}",
  "Tree branches blocking street light on {street}");
POOL (vegetation_details,
  "The hedge {near} has grown right across the pavement; you have to step into the road.",
  "Low branches overhang the footpath at head height.",
  "Brambles have grown across the path and are catching on clothes and buggies.",
  "Bushes have grown over the road sign at the junction so drivers cannot see it.",
  "Tree branches are covering the street light, so the pavement is dark at night.");
POOL (vegetation_fixed,
  "The vegetation has been cut back.",
  "We have cut back the overhanging branches and cleared the path.",
  "The owner of the hedge has cut it back after our letter.");
POOL (vegetation_scheduled,
  "We have written to the owner of the hedge asking them to cut it back within 14 days.",
  "Our grounds maintenance team will cut this back on their next visit.");

/* Street cleaning */
POOL (litter_titles,
  "Litter all along {street}",
  "Broken glass on pavement {near}, {street}",
  "Rubbish strewn across {street}",
  "Litter in the hedge {near}",
  "Takeaway rubbish dropped on {street}");
POOL (litter_details,
  "There is a lot of litter {near}: cans, bottles and food packaging.",
  "Broken glass all over the pavement, dangerous for dogs and children.",
  "Rubbish has been blowing around the street for days.",
  "Takeaway boxes and cans left on the grass every weekend.",
  "The verge is full of litter that has built up over weeks.");
POOL (litter_fixed,
  "The street has been swept and the litter cleared.",
  "Our street cleaning team has cleared this today.");
POOL (litter_scheduled,
  "A litter pick has been arranged for this area.");

POOL (dog_titles,
  "Dog fouling on pavement, {street}",
  "Dog mess all along {street}",
  "Dog fouling near the school, {street}",
  "Dog fouling {near}, {street}");
POOL (dog_details,
  "There is dog mess all along the pavement {near}.",
  "Dog fouling on the path to the school every morning.",
  "Lots of dog mess on the grass where children play.",
  "The same dog owner lets their dog foul here every day and never picks it up.");
POOL (dog_fixed,
  "The area has been cleaned. Our enforcement officers will patrol here.",
  "This has been cleared and a sign has been put up.");
POOL (dog_scheduled,
  "The area will be cleaned and added to our enforcement patrols.");

POOL (bin_titles,
  "Overflowing litter bin on {street}",
  "Bin full and rubbish on the ground {near}",
  "Litter bin not emptied, {street}",
  "Dog waste bin overflowing, {street}");
POOL (bin_details,
  "The litter bin {near} is overflowing and rubbish is blowing around.",
  "This bin has not been emptied for over a week and is attracting rats.",
  "The dog waste bin is full and bags are being left next to it.",
  "The bin is always full on Monday mornings after the weekend.");
POOL (bin_fixed,
  "The bin has been emptied.",
  "The bin has been emptied and its collection frequency increased.");
POOL (bin_scheduled,
  "The bin has been added to today's collection round.");

POOL (bicycle_titles,
  "Abandoned bicycle locked to railings, {street}",
  "Bike with no wheels left on {street}",
  "Abandoned bikes {near}, {street}");
POOL (bicycle_details,
  "A bicycle with no wheels has been locked to the railings for months.",
  "Several abandoned bikes are blocking the cycle stands {near}.",
  "A rusty bike has been chained to the lamp post for over a year.");
POOL (bicycle_fixed,
  "The abandoned bicycle has been removed.");
POOL (bicycle_scheduled,
  "A notice has been attached to the bicycle; it will be removed after 14 days.");

/* Signs */
POOL (sign_titles,
  "Damaged road sign on {street}",
  "Street name sign missing, {street}",
  "Road sign knocked down {near}",
  "Faded sign on {street}");
POOL (sign_details,
  "The road sign {near} has been knocked over and is lying on the verge.",
  "The street name plate is missing from the corner of {street}.",
  "The no entry sign is bent round so drivers coming the other way cannot see it.",
  "The sign is so faded it cannot be read.");
POOL (sign_fixed,
  "The sign has been replaced.",
  "The sign has been straightened and cleaned.");
POOL (sign_scheduled,
  "A replacement sign has been ordered.");

/* Private category */
POOL (needles_titles,
  "Needles found on {street}",
  "Discarded syringes {near}, {street}",
  "Sharps in the play area, {street}");
POOL (needles_details,
  "Several used needles on the ground {near}. I have not touched them.",
  "There are syringes in the bushes next to the footpath.",
  "A needle was found near the children's play area this morning.");
POOL (needles_fixed,
  "The needles were safely removed by our specialist team.");
POOL (needles_scheduled,
  "Our specialist team will attend within two hours.");

#define EXTRA_POTHOLE \
  "[{\"code\":\"depth\",\"datatype\":\"singlevaluelist\",\"required\":true,\"order\":1," \
  "\"description\":\"How deep is the pothole?\",\"values\":[" \
  "{\"key\":\"under_4cm\",\"name\":\"Less than 4 cm\"}," \
  "{\"key\":\"4_to_10cm\",\"name\":\"4 to 10 cm\"}," \
  "{\"key\":\"over_10cm\",\"name\":\"More than 10 cm\"}]}," \
  "{\"code\":\"in_cycle_lane\",\"datatype\":\"singlevaluelist\",\"required\":false,\"order\":2," \
  "\"description\":\"Is it in a cycle lane?\",\"values\":[" \
  "{\"key\":\"yes\",\"name\":\"Yes\"},{\"key\":\"no\",\"name\":\"No\"}]}]"
#define EXTRA_LAMP \
  "[{\"code\":\"lamp_post_number\",\"datatype\":\"string\",\"required\":false,\"order\":1," \
  "\"description\":\"Lamp post number (on a sticker or plate on the post)\"}]"
#define EXTRA_VEHICLE \
  "[{\"code\":\"registration\",\"datatype\":\"string\",\"required\":false,\"order\":1," \
  "\"description\":\"Registration number, if it has one\"}," \
  "{\"code\":\"make_colour\",\"datatype\":\"string\",\"required\":false,\"order\":2," \
  "\"description\":\"Make and colour of the vehicle\"}]"
#define EXTRA_FLYTIP \
  "[{\"code\":\"size\",\"datatype\":\"singlevaluelist\",\"required\":true,\"order\":1," \
  "\"description\":\"How much has been dumped?\",\"values\":[" \
  "{\"key\":\"single_item\",\"name\":\"A single item\"}," \
  "{\"key\":\"car_boot\",\"name\":\"A car boot load\"}," \
  "{\"key\":\"van_load\",\"name\":\"A van load or more\"}]}]"

#define TEXTS(p) p##_titles, p##_details, p##_fixed, p##_scheduled

/* place_weight: main road, centre, residential, park. */
const KsDemoCategory ks_demo_categories[] = {
  { "potholes", "Potholes", "Roads", "Holes in the road surface.",
    "highways@demo.invalid", EXTRA_POTHOLE, FALSE, TRUE, 1400, { 6, 2, 3, 0 },
    KS_DEMO_SEASON_WINTER, TRUE, TRUE, TEXTS (potholes) },
  { "road_surface", "Road surface", "Roads", "Crumbling, sunken or uneven road surfaces.",
    "highways@demo.invalid", "[]", FALSE, TRUE, 400, { 5, 2, 3, 0 },
    KS_DEMO_SEASON_WINTER, FALSE, FALSE, TEXTS (surface) },
  { "kerbs", "Kerbs", "Roads|Pavements", "Broken, loose or missing kerb stones.",
    "highways@demo.invalid", "[]", FALSE, TRUE, 200, { 3, 2, 3, 0 },
    KS_DEMO_SEASON_NONE, FALSE, FALSE, TEXTS (kerbs) },
  { "street_light_out", "Street light not working", "Street lighting",
    "A street light that is out, dim or flickering.",
    "streetlighting@demo.invalid", EXTRA_LAMP, FALSE, TRUE, 800, { 4, 2, 4, 1 },
    KS_DEMO_SEASON_DARK, FALSE, TRUE, TEXTS (light_out) },
  { "street_light_day", "Street light on in daytime", "Street lighting",
    "A street light that stays on during the day.",
    "streetlighting@demo.invalid", EXTRA_LAMP, FALSE, TRUE, 150, { 3, 1, 3, 0 },
    KS_DEMO_SEASON_NONE, FALSE, FALSE, TEXTS (light_day) },
  { "lamp_post_damaged", "Damaged lamp post", "Street lighting",
    "A lamp post that is leaning, knocked down or has its door missing.",
    "streetlighting@demo.invalid", EXTRA_LAMP, FALSE, TRUE, 150, { 4, 1, 3, 0 },
    KS_DEMO_SEASON_NONE, TRUE, TRUE, TEXTS (lamp_post) },
  { "fly_tipping", "Fly-tipping", "Flytipping|Street cleaning",
    "Rubbish, furniture or waste dumped in a public place.",
    "streetscene@demo.invalid", EXTRA_FLYTIP, FALSE, TRUE, 1200, { 1, 1, 6, 2 },
    KS_DEMO_SEASON_NONE, FALSE, TRUE, TEXTS (flytip) },
  { "abandoned_vehicle", "Abandoned vehicles", "Flytipping",
    "A vehicle that seems to have been abandoned.",
    "enforcement@demo.invalid", EXTRA_VEHICLE, FALSE, TRUE, 300, { 1, 0, 6, 0 },
    KS_DEMO_SEASON_NONE, FALSE, TRUE, TEXTS (vehicle) },
  { "graffiti", "Graffiti", "Graffiti", "Graffiti on public property.",
    "streetscene@demo.invalid", "[]", FALSE, TRUE, 600, { 2, 6, 2, 2 },
    KS_DEMO_SEASON_NONE, FALSE, FALSE, TEXTS (graffiti) },
  { "graffiti_offensive", "Offensive graffiti", "Graffiti",
    "Racist, obscene or otherwise offensive graffiti: removed within 24 hours.",
    "streetscene@demo.invalid", "[]", FALSE, TRUE, 100, { 2, 5, 2, 2 },
    KS_DEMO_SEASON_NONE, FALSE, TRUE, TEXTS (offensive) },
  { "blocked_drain", "Blocked drain", "Drainage", "Road drains and gullies that are blocked.",
    "drainage@demo.invalid", "[]", FALSE, TRUE, 400, { 3, 1, 3, 0 },
    KS_DEMO_SEASON_WINTER, FALSE, TRUE, TEXTS (drain) },
  { "flooding", "Flooding", "Drainage|Roads", "Water on the road or pavement that does not drain.",
    "drainage@demo.invalid", "[]", FALSE, TRUE, 200, { 3, 1, 3, 1 },
    KS_DEMO_SEASON_WINTER, TRUE, TRUE, TEXTS (flood) },
  { "pavement_damaged", "Damaged pavement", "Pavements",
    "Broken, cracked or uneven pavements and footpaths.",
    "highways@demo.invalid", "[]", FALSE, TRUE, 700, { 3, 4, 4, 0 },
    KS_DEMO_SEASON_NONE, FALSE, FALSE, TEXTS (pavement) },
  { "trip_hazard", "Trip hazard", "Pavements",
    "Something on the pavement that could make someone fall.",
    "highways@demo.invalid", "[]", FALSE, TRUE, 300, { 2, 4, 3, 0 },
    KS_DEMO_SEASON_NONE, TRUE, TRUE, TEXTS (trip) },
  { "park_damage", "Park damage", "Parks",
    "Damaged benches, play equipment, fences and goalposts in parks.",
    "parks@demo.invalid", "[]", FALSE, TRUE, 200, { 0, 0, 0, 10 },
    KS_DEMO_SEASON_SUMMER, FALSE, FALSE, TEXTS (park) },
  { "overgrown_vegetation", "Overgrown vegetation", "Parks|Pavements",
    "Hedges, trees and weeds blocking paths, signs or lights.",
    "parks@demo.invalid", "[]", FALSE, TRUE, 500, { 2, 0, 4, 3 },
    KS_DEMO_SEASON_SUMMER, FALSE, FALSE, TEXTS (vegetation) },
  { "litter", "Litter", "Street cleaning", "Litter, broken glass and rubbish in the street.",
    "streetscene@demo.invalid", "[]", FALSE, TRUE, 800, { 2, 6, 2, 3 },
    KS_DEMO_SEASON_SUMMER, FALSE, FALSE, TEXTS (litter) },
  { "dog_fouling", "Dog fouling", "Street cleaning|Parks", "Dog mess on pavements and in parks.",
    "streetscene@demo.invalid", "[]", FALSE, TRUE, 400, { 1, 1, 4, 4 },
    KS_DEMO_SEASON_NONE, FALSE, FALSE, TEXTS (dog) },
  { "overflowing_bin", "Overflowing bin", "Street cleaning",
    "Litter and dog waste bins that are full or overflowing.",
    "streetscene@demo.invalid", "[]", FALSE, TRUE, 400, { 1, 5, 1, 4 },
    KS_DEMO_SEASON_SUMMER, FALSE, FALSE, TEXTS (bin) },
  { "abandoned_bicycle", "Abandoned bicycles", "Street cleaning",
    "No longer reported here: use Fly-tipping for abandoned bicycles.",
    "streetscene@demo.invalid", "[]", FALSE, FALSE, 100, { 1, 5, 2, 0 },
    KS_DEMO_SEASON_NONE, FALSE, FALSE, TEXTS (bicycle) },
  { "damaged_sign", "Damaged sign", "Signs", "Damaged, missing or unreadable road and street signs.",
    "highways@demo.invalid", "[]", FALSE, TRUE, 200, { 5, 2, 2, 0 },
    KS_DEMO_SEASON_NONE, FALSE, FALSE, TEXTS (sign) },
  { "needles", "Needles / sharps", "Street cleaning",
    "Used needles or other sharps. These reports are never published.",
    "sharps@demo.invalid", "[]", TRUE, TRUE, 70, { 1, 3, 3, 3 },
    KS_DEMO_SEASON_NONE, TRUE, TRUE, TEXTS (needles) },
};
const guint ks_demo_n_categories = G_N_ELEMENTS (ks_demo_categories);

const KsDemoPriority ks_demo_priorities[] = {
  { "Emergency (2 hours)", "Danger to life or property: make safe within 2 hours.",
    2, FALSE, TRUE, 3 },
  { "Urgent (24 hours)", "A hazard that must be made safe within 24 hours.",
    24, FALSE, FALSE, 12 },
  { "High (5 days)", "Repair within 5 working days.", 120, TRUE, FALSE, 25 },
  { "Normal (28 days)", "Repair within 28 days.", 672, TRUE, FALSE, 45 },
  { "Low (3 months)", "Add to the programme of planned work.", 2160, TRUE, FALSE, 15 },
};
const guint ks_demo_n_priorities = G_N_ELEMENTS (ks_demo_priorities);

const KsDemoTemplate ks_demo_templates[] = {
  { "Thank you: report received",
    "Thank you for your report of “{{title}}”. It has been passed to the team that "
    "deals with {{category}} and we will update this report when we have more news.",
    NULL, NULL },
  { "Inspection booked",
    "An inspector from {{council}} will visit the site to assess “{{title}}” and "
    "decide what work is needed.",
    "investigating", NULL },
  { "Scheduled for repair",
    "Thank you for reporting this. Our inspector has assessed it and a repair has "
    "been scheduled. We will update this report once the work is complete.",
    "action_scheduled", "potholes|road_surface|kerbs|pavement_damaged|trip_hazard|damaged_sign" },
  { "Fixed",
    "This has now been fixed. Thank you for taking the time to report it to {{council}}.",
    "fixed", NULL },
  { "Not ours",
    "Thank you for your report. This is not the responsibility of {{council}}: we "
    "have passed the details to the organisation that looks after it.",
    "not_responsible", NULL },
  { "Need more detail",
    "Thank you for your report. We could not find the problem you described. Could "
    "you tell us more precisely where it is, for example the nearest house number or "
    "a landmark?",
    "awaiting_information", NULL },
  { "Duplicate report",
    "This problem has already been reported to us and we are dealing with it under "
    "another report. Thank you for letting us know.",
    "duplicate", NULL },
  { "Fly-tipping cleared",
    "The dumped waste has been cleared. We search fly-tipped waste for evidence and "
    "prosecute where we can. Thank you for reporting it.",
    "fixed", "fly_tipping" },
};
const guint ks_demo_n_templates = G_N_ELEMENTS (ks_demo_templates);

const KsDemoStaff ks_demo_staff[] = {
  { "customer.services@demo.invalid", "Priya Sharma",  KS_ROLE_CUSTOMER_SERVICES },
  { "inspector@demo.invalid",         "Tom Hartley",   KS_ROLE_INSPECTORS },
  { "maintenance@demo.invalid",       "Gareth Evans",  KS_ROLE_INTERNAL_MAINTENANCE },
  { "admin@demo.invalid",             "Helen Okafor",  KS_ROLE_ADMINISTRATORS },
};
const guint ks_demo_n_staff = G_N_ELEMENTS (ks_demo_staff);

const char * const ks_demo_first_names[] = {
  "Oliver", "George", "Harry", "Jack", "Jacob", "Noah", "Charlie", "Muhammad", "Thomas",
  "Oscar", "William", "James", "Leo", "Alfie", "Henry", "Joshua", "Freddie", "Archie",
  "Ethan", "Isaac", "Alexander", "Joseph", "Edward", "Samuel", "Max", "Daniel", "Arthur",
  "Lucas", "Mohammed", "Logan", "Theo", "Harrison", "Benjamin", "Adam", "Dylan", "Sebastian",
  "David", "Michael", "Paul", "Andrew", "Mark", "Richard", "Stephen", "Peter", "John",
  "Robert", "Christopher", "Simon", "Ian", "Graham", "Nigel", "Keith", "Colin", "Raj",
  "Tariq", "Kwame", "Piotr", "Tomasz", "Chen", "Wei",
  "Olivia", "Amelia", "Isla", "Ava", "Emily", "Isabella", "Mia", "Poppy", "Ella", "Lily",
  "Sophia", "Grace", "Evie", "Freya", "Charlotte", "Jessica", "Sophie", "Daisy", "Alice",
  "Florence", "Ruby", "Chloe", "Matilda", "Phoebe", "Sarah", "Emma", "Rachel", "Hannah",
  "Laura", "Rebecca", "Claire", "Helen", "Susan", "Margaret", "Janet", "Patricia", "Karen",
  "Julie", "Nicola", "Joanne", "Angela", "Fatima", "Aisha", "Priya", "Anjali", "Zainab",
  "Agnieszka", "Marta", "Mei", "Yasmin", "Niamh", "Siobhan", "Rhiannon", "Bethan",
  NULL
};

const char * const ks_demo_last_names[] = {
  "Smith", "Jones", "Williams", "Taylor", "Brown", "Davies", "Evans", "Wilson", "Thomas",
  "Johnson", "Roberts", "Robinson", "Thompson", "Wright", "Walker", "White", "Edwards",
  "Hughes", "Green", "Hall", "Lewis", "Harris", "Clarke", "Patel", "Jackson", "Wood",
  "Turner", "Martin", "Cooper", "Hill", "Ward", "Morris", "Moore", "Clark", "Lee", "King",
  "Baker", "Harrison", "Morgan", "Allen", "James", "Scott", "Phillips", "Watson", "Davis",
  "Parker", "Price", "Bennett", "Young", "Griffiths", "Mitchell", "Kelly", "Cook", "Carter",
  "Richardson", "Bailey", "Collins", "Bell", "Shaw", "Murphy", "Miller", "Cox", "Richards",
  "Khan", "Marshall", "Anderson", "Simpson", "Ellis", "Adams", "Singh", "Begum", "Wilkinson",
  "Foster", "Chapman", "Powell", "Webb", "Rogers", "Gray", "Mason", "Ali", "Hunt", "Hussain",
  "Campbell", "Matthews", "Owen", "Palmer", "Holmes", "Mills", "Barnes", "Knight", "Lloyd",
  "Butler", "Russell", "Barker", "Fisher", "Stevens", "Jenkins", "Murray", "Dixon", "Harvey",
  "Ahmed", "Shah", "Kowalski", "Nowak", "Wang", "Zhang", "Okafor", "Mensah", "Osei",
  "O'Brien", "Gallagher", "MacDonald", "Reid", "Fraser", "Pritchard", "Hodgson", "Pearce",
  NULL
};

const char * const ks_demo_email_domains[] = {
  "example.org", "example.net", "example.com", NULL
};

const char * const ks_demo_near[] = {
  "near the bus stop", "outside number {num}", "opposite number {num}", "by the junction",
  "near the zebra crossing", "outside the school", "by the post box", "near the traffic lights",
  "outside the Co-op", "near the church", "by the pub", "outside the library",
  "near the GP surgery", "by the pelican crossing", "near the roundabout",
  "outside the chip shop", "by the recycling bins", "near the cycle stands",
  "outside the pharmacy", "near the bridge", "by the entrance to the car park",
  "next to the telephone box", "near the corner shop", "outside the launderette",
  NULL
};

const char * const ks_demo_detail_tails[] = {
  "It has been like this for about {weeks} weeks.",
  "Please can someone have a look.",
  "This is a hazard for wheelchair users and people with buggies.",
  "I have reported this before but nothing has happened.",
  "It is getting worse every week.",
  "Someone is going to get hurt.",
  "Many children walk this way to school.",
  "Thank you.",
  "It is particularly bad after dark.",
  "It is right on the main route into town.",
  NULL
};

const char * const ks_demo_ack_texts[] = {
  "Thank you for your report. It has been passed to the right team.",
  "Thank you for reporting this. We aim to inspect it within five working days.",
  "We have received your report and it is being looked at.",
  NULL
};

const char * const ks_demo_investigating_texts[] = {
  "An inspector will visit the site this week.",
  "We are looking into this and will update the report when we know more.",
  "This has been passed to our inspector for the area.",
  NULL
};

const char * const ks_demo_in_progress_texts[] = {
  "A crew is on site and the work is under way.",
  "Work has started on this.",
  "Our contractor has started the repair.",
  NULL
};

const char * const ks_demo_request_info_texts[] = {
  "Could you tell us more precisely where this is, for example the nearest house number?",
  "Our inspector could not find the problem. Could you send a photo or describe where it is?",
  "Is this still a problem? We visited and could not see it.",
  "Could you tell us roughly how big it is and whether it is in the road or on the pavement?",
  NULL
};

const char * const ks_demo_staff_update_texts[] = {
  "An inspector visited today and the work has been ordered.",
  "Thank you for your patience: our contractor has this on their list for next week.",
  "We have chased this with our contractor.",
  "The site has been made safe while we wait for the materials.",
  "The repair was delayed by bad weather and has been rebooked.",
  NULL
};

const char * const ks_demo_reporter_update_texts[] = {
  "This is still here and getting worse.",
  "Any news on this? It has been a while.",
  "Another one has appeared a few metres further along.",
  "A neighbour has reported the same thing.",
  "Still not fixed. Please can someone look at it.",
  NULL
};

const char * const ks_demo_reporter_fixed_texts[] = {
  "This has been fixed now, thank you!",
  "All sorted, thanks very much.",
  "Fixed. Great job, thank you.",
  NULL
};

const char * const ks_demo_no_further_action_texts[] = {
  "Our inspector has visited and this does not meet our intervention level at the moment. We will keep it under review.",
  "We have inspected this and no further action is needed.",
  "This is part of a planned scheme of works next year, so we will not carry out a separate repair now.",
  NULL
};

const char * const ks_demo_not_responsible_texts[] = {
  "This is the responsibility of Oxfordshire County Council as the highway authority; we have passed your report on.",
  "This land is privately owned. We have written to the owner.",
  "This belongs to the university; we have passed the details to their estates team.",
  "This is Network Rail's responsibility; we have forwarded your report.",
  NULL
};

const char * const ks_demo_duplicate_texts[] = {
  "This has already been reported and we are dealing with it under that report.",
  "Thank you: this is a duplicate of an existing report.",
  NULL
};

const char * const ks_demo_internal_referral_texts[] = {
  "This has been passed to our Housing team, who look after this land.",
  "This has been referred to our Environmental Health team.",
  NULL
};

const char * const ks_demo_closed_texts[] = {
  "Closing this report: please report it again if the problem comes back.",
  "We have not heard back, so we are closing this report.",
  NULL
};

const char * const ks_demo_hide_texts[] = {
  "Hidden: the report contained personal information about a third party.",
  "Hidden: abusive language.",
  "Hidden: test report.",
  "Hidden: the report is about a private dispute between neighbours.",
  NULL
};

guint
ks_demo_pool_size (const char * const *pool)
{
  guint n = 0;

  while (pool[n] != NULL)
    n++;
  return n;
}
