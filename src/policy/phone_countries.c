/*
 * Countries and their numbering plans: ITU-T E.164 calling codes (the
 * list of assigned codes, E.164 Annex to ITU OB), trunk and international
 * prefixes, the length of the national significant number (NSN) and the
 * IANA time zones of the country. Data only, sorted by ISO code.
 *
 * Lengths are the range of the plan's numbers reachable from abroad; where
 * a plan mixes lengths (Germany, Austria, Italy) the range is wide, and
 * where parley does not know it the row says 0 and E.164's limits apply.
 * Several countries share a calling code (+1, +7, +44, +47, +61, +262,
 * +358, +590, +599): the main owner has within NULL and the others list the
 * prefixes that are theirs.
 *
 * Zones: every zone the country spans, the capital's or most populous
 * first. Zones that differ only in history are left out (Kuching is Kuala
 * Lumpur's time) except where a country's people name them (Melbourne
 * beside Sydney). Past PHONE_ZONES_MAX the least populous go: Russia keeps
 * six of its eleven rules, Australia drops Eucla and Lord Howe, Brazil's
 * four offsets and Mexico's six rules all fit.
 *
 * Not here: which prefixes are mobile, special numbers, number portability.
 */
#include <stddef.h>
#include <string.h>

#include "phone_tables.h"

#define ROW(iso, cc, within, trunk, intl, min, max, ...) \
	{ iso, cc, within, trunk, intl, min, max, 0, "too short for " iso, "too long for " iso, { __VA_ARGS__ } }
/* A country dialling a carrier code after the trunk or international prefix. */
#define ROW_CARRIER(iso, cc, trunk, intl, min, max, carrier, ...) \
	{ iso, cc, NULL, trunk, intl, min, max, carrier, "too short for " iso, "too long for " iso, { __VA_ARGS__ } }
/* Members of the North American plan: their rows serve as defaults; the area code decides ownership. */
#define NANP(iso, ...) ROW(iso, "1", "", "1", "011", 10, 10, __VA_ARGS__)

const struct phone_country phone_countries[] = {
	ROW("AC", "247", NULL, "", "00", 4, 5, "Atlantic/St_Helena"),  /* Ascension (ITU's reserved code AC) */
	ROW("AD", "376", NULL, "", "00", 6, 9, "Europe/Andorra"),
	ROW("AE", "971", NULL, "0", "00", 8, 9, "Asia/Dubai"),
	ROW("AF", "93", NULL, "0", "00", 9, 9, "Asia/Kabul"),
	NANP("AG", "America/Antigua"),
	NANP("AI", "America/Anguilla"),
	ROW("AL", "355", NULL, "0", "00", 6, 9, "Europe/Tirane"),
	ROW("AM", "374", NULL, "0", "00", 8, 8, "Asia/Yerevan"),
	ROW("AO", "244", NULL, "", "00", 9, 9, "Africa/Luanda"),
	/* Mobile numbers take a 9 after +54: 11 digits */
	ROW("AR", "54", NULL, "0", "00", 10, 11, "America/Argentina/Buenos_Aires"),
	NANP("AS", "Pacific/Pago_Pago"),
	ROW("AT", "43", NULL, "0", "00", 4, 13, "Europe/Vienna"),
	/* 13, 1300 and 1800 numbers cannot be dialled from abroad, so every NSN is 9 digits */
	ROW("AU", "61", NULL, "0", "0011", 9, 9, "Australia/Sydney", "Australia/Melbourne",
	    "Australia/Brisbane", "Australia/Adelaide", "Australia/Perth", "Australia/Darwin"),
	ROW("AW", "297", NULL, "", "00", 7, 7, "America/Aruba"),
	ROW("AX", "358", "18", "0", "00", 5, 12, "Europe/Mariehamn"),
	ROW("AZ", "994", NULL, "0", "00", 9, 9, "Asia/Baku"),
	ROW("BA", "387", NULL, "0", "00", 8, 9, "Europe/Sarajevo"),
	NANP("BB", "America/Barbados"),
	ROW("BD", "880", NULL, "0", "00", 6, 10, "Asia/Dhaka"),
	ROW("BE", "32", NULL, "0", "00", 8, 9, "Europe/Brussels"),
	ROW("BF", "226", NULL, "", "00", 8, 8, "Africa/Ouagadougou"),
	ROW("BG", "359", NULL, "0", "00", 6, 9, "Europe/Sofia"),
	ROW("BH", "973", NULL, "", "00", 8, 8, "Asia/Bahrain"),
	ROW("BI", "257", NULL, "", "00", 8, 8, "Africa/Bujumbura"),
	/* 10 digits since 2024 (01 put before the old 8) */
	ROW("BJ", "229", NULL, "", "00", 8, 10, "Africa/Porto-Novo"),
	ROW("BL", "590", "", "0", "00", 9, 9, "America/St_Barthelemy"),
	NANP("BM", "Atlantic/Bermuda"),
	ROW("BN", "673", NULL, "", "00", 7, 7, "Asia/Brunei"),
	ROW("BO", "591", NULL, "0", "00", 8, 8, "America/La_Paz"),
	ROW("BQ", "599", "3 4 7", "", "00", 7, 7, "America/Kralendijk"),
	/* Two-digit area code and an 8-digit fixed or 9-digit mobile number; calls name a carrier */
	ROW_CARRIER("BR", "55", "0", "00", 10, 11, 2, "America/Sao_Paulo", "America/Manaus",
		    "America/Rio_Branco", "America/Noronha"),
	NANP("BS", "America/Nassau"),
	ROW("BT", "975", NULL, "", "00", 7, 8, "Asia/Thimphu"),
	ROW("BW", "267", NULL, "", "00", 7, 8, "Africa/Gaborone"),
	/* Dialled at home as 8 0 29 ...: the trunk prefix is 80 */
	ROW("BY", "375", NULL, "80", "810", 9, 9, "Europe/Minsk"),
	ROW("BZ", "501", NULL, "", "00", 7, 7, "America/Belize"),
	NANP("CA", "America/Toronto", "America/Vancouver", "America/Edmonton", "America/Winnipeg",
	     "America/Halifax", "America/Regina"),
	ROW("CC", "61", "89162", "0", "0011", 9, 9, "Indian/Cocos"),
	ROW("CD", "243", NULL, "0", "00", 9, 9, "Africa/Kinshasa", "Africa/Lubumbashi"),
	ROW("CF", "236", NULL, "", "00", 8, 8, "Africa/Bangui"),
	ROW("CG", "242", NULL, "", "00", 9, 9, "Africa/Brazzaville"),
	ROW("CH", "41", NULL, "0", "00", 9, 9, "Europe/Zurich"),
	ROW("CI", "225", NULL, "", "00", 10, 10, "Africa/Abidjan"),
	ROW("CK", "682", NULL, "", "00", 5, 5, "Pacific/Rarotonga"),
	ROW("CL", "56", NULL, "", "00", 9, 9, "America/Santiago", "America/Punta_Arenas", "Pacific/Easter"),
	ROW("CM", "237", NULL, "", "00", 9, 9, "Africa/Douala"),
	/* Xinjiang keeps Beijing time officially and its own locally */
	ROW("CN", "86", NULL, "0", "00", 7, 12, "Asia/Shanghai", "Asia/Urumqi"),
	/* 10 digits for every number since 2021; abroad through a carrier's 005, 007 or 009 */
	ROW("CO", "57", NULL, "", "005 007 009", 10, 10, "America/Bogota"),
	ROW("CR", "506", NULL, "", "00", 8, 8, "America/Costa_Rica"),
	ROW("CU", "53", NULL, "0", "119", 6, 8, "America/Havana"),
	ROW("CV", "238", NULL, "", "0", 7, 7, "Atlantic/Cape_Verde"),
	ROW("CW", "599", NULL, "", "00", 7, 8, "America/Curacao"),
	ROW("CX", "61", "89164", "0", "0011", 9, 9, "Indian/Christmas"),
	ROW("CY", "357", NULL, "", "00", 8, 8, "Asia/Nicosia", "Asia/Famagusta"),
	ROW("CZ", "420", NULL, "", "00", 9, 9, "Europe/Prague"),
	ROW("DE", "49", NULL, "0", "00", 6, 13, "Europe/Berlin"),
	ROW("DJ", "253", NULL, "", "00", 8, 8, "Africa/Djibouti"),
	ROW("DK", "45", NULL, "", "00", 8, 8, "Europe/Copenhagen"),
	NANP("DM", "America/Dominica"),
	NANP("DO", "America/Santo_Domingo"),
	ROW("DZ", "213", NULL, "0", "00", 8, 9, "Africa/Algiers"),
	ROW("EC", "593", NULL, "0", "00", 8, 9, "America/Guayaquil", "Pacific/Galapagos"),
	ROW("EE", "372", NULL, "", "00", 7, 10, "Europe/Tallinn"),
	ROW("EG", "20", NULL, "0", "00", 8, 10, "Africa/Cairo"),
	ROW("EH", "212", "", "0", "00", 9, 9, "Africa/El_Aaiun"),
	ROW("ER", "291", NULL, "0", "00", 7, 7, "Africa/Asmara"),
	ROW("ES", "34", NULL, "", "00", 9, 9, "Europe/Madrid", "Atlantic/Canary"),
	ROW("ET", "251", NULL, "0", "00", 9, 9, "Africa/Addis_Ababa"),
	ROW("FI", "358", NULL, "0", "00", 5, 12, "Europe/Helsinki"),
	ROW("FJ", "679", NULL, "", "00", 7, 7, "Pacific/Fiji"),
	ROW("FK", "500", NULL, "", "00", 5, 5, "Atlantic/Stanley"),
	ROW("FM", "691", NULL, "", "011", 7, 7, "Pacific/Pohnpei", "Pacific/Chuuk", "Pacific/Kosrae"),
	ROW("FO", "298", NULL, "", "00", 6, 6, "Atlantic/Faroe"),
	ROW("FR", "33", NULL, "0", "00", 9, 9, "Europe/Paris"),
	ROW("GA", "241", NULL, "", "00", 7, 8, "Africa/Libreville"),
	/* 7 digits for a few (0800 1111), 9 for some 01 areas, 10 for the rest */
	ROW("GB", "44", NULL, "0", "00", 7, 10, "Europe/London"),
	NANP("GD", "America/Grenada"),
	ROW("GE", "995", NULL, "0", "00", 9, 9, "Asia/Tbilisi"),
	ROW("GF", "594", NULL, "0", "00", 9, 9, "America/Cayenne"),
	ROW("GG", "44", "1481 7781 7839 7911", "0", "00", 10, 10, "Europe/Guernsey"),
	ROW("GH", "233", NULL, "0", "00", 9, 9, "Africa/Accra"),
	ROW("GI", "350", NULL, "", "00", 8, 8, "Europe/Gibraltar"),
	ROW("GL", "299", NULL, "", "00", 6, 6, "America/Nuuk", "America/Danmarkshavn",
	    "America/Scoresbysund", "America/Thule"),
	ROW("GM", "220", NULL, "", "00", 7, 7, "Africa/Banjul"),
	ROW("GN", "224", NULL, "", "00", 8, 9, "Africa/Conakry"),
	ROW("GP", "590", NULL, "0", "00", 9, 9, "America/Guadeloupe"),
	ROW("GQ", "240", NULL, "", "00", 9, 9, "Africa/Malabo"),
	ROW("GR", "30", NULL, "", "00", 10, 10, "Europe/Athens"),
	ROW("GT", "502", NULL, "", "00", 8, 8, "America/Guatemala"),
	NANP("GU", "Pacific/Guam"),
	ROW("GW", "245", NULL, "", "00", 7, 9, "Africa/Bissau"),
	ROW("GY", "592", NULL, "", "001", 7, 7, "America/Guyana"),
	ROW("HK", "852", NULL, "", "001", 8, 9, "Asia/Hong_Kong"),
	ROW("HN", "504", NULL, "", "00", 8, 8, "America/Tegucigalpa"),
	ROW("HR", "385", NULL, "0", "00", 6, 9, "Europe/Zagreb"),
	ROW("HT", "509", NULL, "", "00", 8, 8, "America/Port-au-Prince"),
	ROW("HU", "36", NULL, "06", "00", 8, 9, "Europe/Budapest"),
	ROW("ID", "62", NULL, "0", "001 007 008 009", 7, 12, "Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura"),
	ROW("IE", "353", NULL, "0", "00", 7, 9, "Europe/Dublin"),
	ROW("IL", "972", NULL, "0", "00", 8, 9, "Asia/Jerusalem"),
	ROW("IM", "44", "1624 7524 7624 7924", "0", "00", 10, 10, "Europe/Isle_of_Man"),
	ROW("IN", "91", NULL, "0", "00", 10, 10, "Asia/Kolkata"),
	ROW("IO", "246", NULL, "", "00", 7, 7, "Indian/Chagos"),
	ROW("IQ", "964", NULL, "0", "00", 8, 10, "Asia/Baghdad"),
	ROW("IR", "98", NULL, "0", "00", 10, 10, "Asia/Tehran"),
	ROW("IS", "354", NULL, "", "00", 7, 9, "Atlantic/Reykjavik"),
	/* No trunk prefix: the 0 of a fixed number is part of it, abroad too (+39 06 ...) */
	ROW("IT", "39", NULL, "", "00", 6, 11, "Europe/Rome"),
	ROW("JE", "44", "1534 7509 7797 7829 7937", "0", "00", 10, 10, "Europe/Jersey"),
	NANP("JM", "America/Jamaica"),
	ROW("JO", "962", NULL, "0", "00", 8, 9, "Asia/Amman"),
	ROW("JP", "81", NULL, "0", "010", 9, 10, "Asia/Tokyo"),
	ROW("KE", "254", NULL, "0", "000", 9, 9, "Africa/Nairobi"),
	ROW("KG", "996", NULL, "0", "00", 9, 9, "Asia/Bishkek"),
	ROW("KH", "855", NULL, "0", "001", 8, 9, "Asia/Phnom_Penh"),
	ROW("KI", "686", NULL, "", "00", 5, 8, "Pacific/Tarawa", "Pacific/Kanton", "Pacific/Kiritimati"),
	ROW("KM", "269", NULL, "", "00", 7, 7, "Indian/Comoro"),
	NANP("KN", "America/St_Kitts"),
	ROW("KP", "850", NULL, "0", "00", 0, 0, "Asia/Pyongyang"),
	ROW("KR", "82", NULL, "0", "001 002 005 006 008 00700", 8, 10, "Asia/Seoul"),
	ROW("KW", "965", NULL, "", "00", 8, 8, "Asia/Kuwait"),
	NANP("KY", "America/Cayman"),
	/* One offset (+5) for the whole country since March 2024; the zones still differ in history */
	ROW("KZ", "7", "6 7", "8", "810", 10, 10, "Asia/Almaty", "Asia/Qostanay", "Asia/Aqtobe",
	    "Asia/Atyrau", "Asia/Oral", "Asia/Aqtau"),
	ROW("LA", "856", NULL, "0", "00", 8, 10, "Asia/Vientiane"),
	ROW("LB", "961", NULL, "0", "00", 7, 8, "Asia/Beirut"),
	NANP("LC", "America/St_Lucia"),
	ROW("LI", "423", NULL, "", "00", 7, 9, "Europe/Vaduz"),
	ROW("LK", "94", NULL, "0", "00", 9, 9, "Asia/Colombo"),
	ROW("LR", "231", NULL, "0", "00", 7, 9, "Africa/Monrovia"),
	ROW("LS", "266", NULL, "", "00", 8, 8, "Africa/Maseru"),
	/* The trunk prefix moved from 8 to 0 (2025); both are still written */
	ROW("LT", "370", NULL, "0 8", "00", 8, 8, "Europe/Vilnius"),
	ROW("LU", "352", NULL, "", "00", 4, 11, "Europe/Luxembourg"),
	ROW("LV", "371", NULL, "", "00", 8, 8, "Europe/Riga"),
	ROW("LY", "218", NULL, "0", "00", 8, 9, "Africa/Tripoli"),
	ROW("MA", "212", NULL, "0", "00", 9, 9, "Africa/Casablanca"),
	ROW("MC", "377", NULL, "", "00", 8, 9, "Europe/Monaco"),
	ROW("MD", "373", NULL, "0", "00", 8, 8, "Europe/Chisinau"),
	ROW("ME", "382", NULL, "0", "00", 8, 9, "Europe/Podgorica"),
	ROW("MF", "590", "", "0", "00", 9, 9, "America/Marigot"),
	ROW("MG", "261", NULL, "0", "00", 9, 9, "Indian/Antananarivo"),
	ROW("MH", "692", NULL, "", "011", 7, 7, "Pacific/Majuro", "Pacific/Kwajalein"),
	ROW("MK", "389", NULL, "0", "00", 8, 8, "Europe/Skopje"),
	ROW("ML", "223", NULL, "", "00", 8, 8, "Africa/Bamako"),
	ROW("MM", "95", NULL, "0", "00", 7, 10, "Asia/Yangon"),
	ROW("MN", "976", NULL, "0", "001", 8, 10, "Asia/Ulaanbaatar", "Asia/Hovd"),
	ROW("MO", "853", NULL, "", "00", 8, 8, "Asia/Macau"),
	NANP("MP", "Pacific/Saipan"),
	ROW("MQ", "596", NULL, "0", "00", 9, 9, "America/Martinique"),
	ROW("MR", "222", NULL, "", "00", 8, 8, "Africa/Nouakchott"),
	NANP("MS", "America/Montserrat"),
	ROW("MT", "356", NULL, "", "00", 8, 8, "Europe/Malta"),
	ROW("MU", "230", NULL, "", "020", 7, 8, "Indian/Mauritius"),
	ROW("MV", "960", NULL, "", "00", 7, 7, "Indian/Maldives"),
	ROW("MW", "265", NULL, "0", "00", 7, 9, "Africa/Blantyre"),
	/*
	 * 10 digits with no trunk prefix since 2019 (01, 044 and 045 gone).
	 * Daylight saving ended in 2022 except along the US border.
	 */
	ROW("MX", "52", NULL, "", "00", 10, 10, "America/Mexico_City", "America/Tijuana",
	    "America/Mazatlan", "America/Cancun", "America/Matamoros", "America/Ciudad_Juarez"),
	ROW("MY", "60", NULL, "0", "00", 8, 10, "Asia/Kuala_Lumpur"),
	ROW("MZ", "258", NULL, "", "00", 8, 9, "Africa/Maputo"),
	ROW("NA", "264", NULL, "0", "00", 8, 9, "Africa/Windhoek"),
	ROW("NC", "687", NULL, "", "00", 6, 6, "Pacific/Noumea"),
	ROW("NE", "227", NULL, "", "00", 8, 8, "Africa/Niamey"),
	ROW("NF", "672", NULL, "", "00", 6, 6, "Pacific/Norfolk"),
	ROW("NG", "234", NULL, "0", "009", 7, 10, "Africa/Lagos"),
	ROW("NI", "505", NULL, "", "00", 8, 8, "America/Managua"),
	ROW("NL", "31", NULL, "0", "00", 9, 9, "Europe/Amsterdam"),
	ROW("NO", "47", NULL, "", "00", 5, 8, "Europe/Oslo"),
	ROW("NP", "977", NULL, "0", "00", 8, 10, "Asia/Kathmandu"),
	ROW("NR", "674", NULL, "", "00", 7, 7, "Pacific/Nauru"),
	ROW("NU", "683", NULL, "", "00", 4, 7, "Pacific/Niue"),
	ROW("NZ", "64", NULL, "0", "00", 8, 10, "Pacific/Auckland", "Pacific/Chatham"),
	ROW("OM", "968", NULL, "", "00", 8, 8, "Asia/Muscat"),
	ROW("PA", "507", NULL, "", "00", 7, 8, "America/Panama"),
	ROW("PE", "51", NULL, "0", "00", 8, 9, "America/Lima"),
	ROW("PF", "689", NULL, "", "00", 8, 8, "Pacific/Tahiti", "Pacific/Marquesas", "Pacific/Gambier"),
	ROW("PG", "675", NULL, "", "00", 7, 8, "Pacific/Port_Moresby", "Pacific/Bougainville"),
	ROW("PH", "63", NULL, "0", "00", 8, 10, "Asia/Manila"),
	ROW("PK", "92", NULL, "0", "00", 9, 10, "Asia/Karachi"),
	ROW("PL", "48", NULL, "", "00", 9, 9, "Europe/Warsaw"),
	ROW("PM", "508", NULL, "0", "00", 6, 6, "America/Miquelon"),
	NANP("PR", "America/Puerto_Rico"),
	ROW("PS", "970", NULL, "0", "00", 8, 9, "Asia/Gaza", "Asia/Hebron"),
	ROW("PT", "351", NULL, "", "00", 9, 9, "Europe/Lisbon", "Atlantic/Azores"),
	ROW("PW", "680", NULL, "", "011", 7, 7, "Pacific/Palau"),
	ROW("PY", "595", NULL, "0", "00", 6, 9, "America/Asuncion"),
	ROW("QA", "974", NULL, "", "00", 7, 8, "Asia/Qatar"),
	ROW("RE", "262", NULL, "0", "00", 9, 9, "Indian/Reunion"),
	ROW("RO", "40", NULL, "0", "00", 9, 9, "Europe/Bucharest"),
	ROW("RS", "381", NULL, "0", "00", 6, 10, "Europe/Belgrade"),
	/* Eleven rules from Kaliningrad to Kamchatka: the six most populous */
	ROW("RU", "7", NULL, "8", "810", 10, 10, "Europe/Moscow", "Asia/Yekaterinburg", "Asia/Novosibirsk",
	    "Europe/Samara", "Asia/Vladivostok", "Asia/Irkutsk"),
	ROW("RW", "250", NULL, "0", "00", 9, 9, "Africa/Kigali"),
	ROW("SA", "966", NULL, "0", "00", 8, 9, "Asia/Riyadh"),
	ROW("SB", "677", NULL, "", "00", 5, 7, "Pacific/Guadalcanal"),
	ROW("SC", "248", NULL, "", "00", 7, 7, "Indian/Mahe"),
	ROW("SD", "249", NULL, "0", "00", 9, 9, "Africa/Khartoum"),
	ROW("SE", "46", NULL, "0", "00", 6, 10, "Europe/Stockholm"),
	ROW("SG", "65", NULL, "", "000 001 002 008 018 019", 8, 8, "Asia/Singapore"),
	ROW("SH", "290", NULL, "", "00", 4, 5, "Atlantic/St_Helena"),
	ROW("SI", "386", NULL, "0", "00", 8, 8, "Europe/Ljubljana"),
	ROW("SJ", "47", "79", "", "00", 8, 8, "Arctic/Longyearbyen"),
	ROW("SK", "421", NULL, "0", "00", 9, 9, "Europe/Bratislava"),
	ROW("SL", "232", NULL, "0", "00", 8, 8, "Africa/Freetown"),
	ROW("SM", "378", NULL, "", "00", 6, 10, "Europe/San_Marino"),
	ROW("SN", "221", NULL, "", "00", 9, 9, "Africa/Dakar"),
	ROW("SO", "252", NULL, "0", "00", 7, 9, "Africa/Mogadishu"),
	ROW("SR", "597", NULL, "", "00", 6, 7, "America/Paramaribo"),
	ROW("SS", "211", NULL, "0", "00", 9, 9, "Africa/Juba"),
	ROW("ST", "239", NULL, "", "00", 7, 7, "Africa/Sao_Tome"),
	ROW("SV", "503", NULL, "", "00", 8, 8, "America/El_Salvador"),
	NANP("SX", "America/Lower_Princes"),
	ROW("SY", "963", NULL, "0", "00", 8, 9, "Asia/Damascus"),
	ROW("SZ", "268", NULL, "", "00", 8, 8, "Africa/Mbabane"),
	NANP("TC", "America/Grand_Turk"),
	ROW("TD", "235", NULL, "", "00", 8, 8, "Africa/Ndjamena"),
	ROW("TG", "228", NULL, "", "00", 8, 8, "Africa/Lome"),
	ROW("TH", "66", NULL, "0", "001", 8, 9, "Asia/Bangkok"),
	ROW("TJ", "992", NULL, "8", "810", 9, 9, "Asia/Dushanbe"),
	ROW("TK", "690", NULL, "", "00", 4, 7, "Pacific/Fakaofo"),
	ROW("TL", "670", NULL, "", "00", 7, 8, "Asia/Dili"),
	ROW("TM", "993", NULL, "8", "810", 8, 8, "Asia/Ashgabat"),
	ROW("TN", "216", NULL, "", "00", 8, 8, "Africa/Tunis"),
	ROW("TO", "676", NULL, "", "00", 5, 7, "Pacific/Tongatapu"),
	ROW("TR", "90", NULL, "0", "00", 10, 10, "Europe/Istanbul"),
	NANP("TT", "America/Port_of_Spain"),
	ROW("TV", "688", NULL, "", "00", 5, 7, "Pacific/Funafuti"),
	ROW("TW", "886", NULL, "0", "002", 8, 9, "Asia/Taipei"),
	ROW("TZ", "255", NULL, "0", "000", 9, 9, "Africa/Dar_es_Salaam"),
	ROW("UA", "380", NULL, "0", "00", 9, 9, "Europe/Kyiv"),
	ROW("UG", "256", NULL, "0", "000", 9, 9, "Africa/Kampala"),
	ROW("US", "1", NULL, "1", "011", 10, 10, "America/New_York", "America/Chicago", "America/Denver",
	    "America/Phoenix", "America/Los_Angeles", "Pacific/Honolulu"),
	ROW("UY", "598", NULL, "0", "00", 8, 8, "America/Montevideo"),
	ROW("UZ", "998", NULL, "8", "810", 9, 9, "Asia/Tashkent"),
	ROW("VA", "39", "06698", "", "00", 6, 11, "Europe/Vatican"),
	NANP("VC", "America/St_Vincent"),
	ROW("VE", "58", NULL, "0", "00", 10, 10, "America/Caracas"),
	NANP("VG", "America/Tortola"),
	NANP("VI", "America/St_Thomas"),
	ROW("VN", "84", NULL, "0", "00", 9, 10, "Asia/Ho_Chi_Minh"),
	ROW("VU", "678", NULL, "", "00", 5, 7, "Pacific/Efate"),
	ROW("WF", "681", NULL, "", "00", 6, 6, "Pacific/Wallis"),
	ROW("WS", "685", NULL, "", "0", 5, 7, "Pacific/Apia"),
	ROW("XK", "383", NULL, "0", "00", 8, 9, "Europe/Belgrade"),  /* Kosovo (user-assigned XK) */
	ROW("YE", "967", NULL, "0", "00", 7, 9, "Asia/Aden"),
	ROW("YT", "262", "269 639", "0", "00", 9, 9, "Indian/Mayotte"),
	ROW("ZA", "27", NULL, "0", "00", 9, 9, "Africa/Johannesburg"),
	ROW("ZM", "260", NULL, "0", "00", 9, 9, "Africa/Lusaka"),
	ROW("ZW", "263", NULL, "0", "00", 5, 10, "Africa/Harare"),
};

const size_t phone_countries_count = sizeof(phone_countries) / sizeof(phone_countries[0]);

/*
 * Freephone (800), shared cost (808), Inmarsat (870), satellite and
 * international networks (881, 882, 883), OCHA (888), premium rate (979).
 */
const char *const phone_global_codes[] = { "800", "808", "870", "881", "882", "883", "888", "979" };
const size_t phone_global_codes_count = sizeof(phone_global_codes) / sizeof(phone_global_codes[0]);

/*
 * Three-digit codes no country or service holds (spare, reserved, or
 * returned: 671 Guam and 684 American Samoa moved into +1, 969 was South
 * Yemen). A sentence for each, so that the reason given for a number
 * carries its code and still points at static storage. The unit test checks
 * that every unowned code from 100 to 999 is here.
 */
#define SPARE(n) { #n, "unknown country code +" #n }

static const struct {
	char cc[4];
	const char *why;
} spare[] = {
	SPARE(210), SPARE(214), SPARE(215), SPARE(217), SPARE(219), SPARE(259), SPARE(280), SPARE(281),
	SPARE(282), SPARE(283), SPARE(284), SPARE(285), SPARE(286), SPARE(287), SPARE(288), SPARE(289),
	SPARE(292), SPARE(293), SPARE(294), SPARE(295), SPARE(296), SPARE(379), SPARE(384), SPARE(388),
	SPARE(422), SPARE(424), SPARE(425), SPARE(426), SPARE(427), SPARE(428), SPARE(429), SPARE(671),
	SPARE(684), SPARE(693), SPARE(694), SPARE(695), SPARE(696), SPARE(697), SPARE(698), SPARE(699),
	SPARE(801), SPARE(802), SPARE(803), SPARE(804), SPARE(805), SPARE(806), SPARE(807), SPARE(809),
	SPARE(830), SPARE(831), SPARE(832), SPARE(833), SPARE(834), SPARE(835), SPARE(836), SPARE(837),
	SPARE(838), SPARE(839), SPARE(851), SPARE(854), SPARE(857), SPARE(858), SPARE(859), SPARE(871),
	SPARE(872), SPARE(873), SPARE(874), SPARE(875), SPARE(876), SPARE(877), SPARE(878), SPARE(879),
	SPARE(884), SPARE(885), SPARE(887), SPARE(889), SPARE(890), SPARE(891), SPARE(892), SPARE(893),
	SPARE(894), SPARE(895), SPARE(896), SPARE(897), SPARE(898), SPARE(899), SPARE(969), SPARE(978),
	SPARE(990), SPARE(991), SPARE(997), SPARE(999),
};

const char *phone_spare_why(const char *cc3)
{
	size_t lo = 0, hi = sizeof(spare) / sizeof(spare[0]);

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strncmp(cc3, spare[mid].cc, 3);
		if (c == 0)
			return spare[mid].why;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}
