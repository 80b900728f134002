/*
 * A campaign's counts as JSON (docs/mqtt.md "Campaigns"): the answer to the
 * campaign and campaign_status commands, the progress events and the final
 * summary on <base>/event/campaign. Pure: the daemon reads the counts from
 * the store (store_campaign.h) and passes them in.
 */
#ifndef PARLEY_MQTT_CAMPAIGN_H
#define PARLEY_MQTT_CAMPAIGN_H

#include <stdbool.h>
#include <stdint.h>

#include "parley/store_campaign.h"

struct mqtt_campaign {
	const char *uid;          /* events: unique for ever; NULL: a reply's result */
	const char *event;        /* events: "progress" or "summary"; NULL for a result */
	int64_t at;               /* events: when; 0 left out */
	int64_t id;
	const char *name;
	bool done;
	const struct store_campaign_counts *counts;
};

/*
 * {"uid":...,"kind":"campaign","event":"summary","at":"...","campaign":12,
 *  "name":"black-friday","state":"done","total":1000,"queued":0,"held":100,
 *  "sending":0,"unknown":0,"sent":850,"delivered":0,"failed":0,"expired":0,
 *  "blocked":50,"cancelled":0,"held_by":{"quiet_hours":100},
 *  "blocked_by":{"opted_out":50},"expired_by":{}}
 * Every count is always written (0 included), and the three *_by objects
 * too ({} when empty), so that a console can read any key without guessing.
 * "sent" counts every message that went out, delivered or not. Without
 * uid, kind, event and at are left out. malloc'd (free()); NULL with errno
 * EINVAL (c or its counts NULL) or ENOMEM.
 */
char *mqtt_campaign_json(const struct mqtt_campaign *c);

#endif
