"""SYNTHETIC event exports for the tests: invented rows, not real events, from no dataset.

`acled_layout` writes a CSV in ACLED's current export layout; `ged_layout` one in UCDP GED's.
The places are real Malian towns (so the maps have a country to frame); every date, actor
pairing, count and death is made up by a seeded random generator and must never be read as a
record of anything. Every row says SYNTHETIC in its notes or source column.
"""

from __future__ import annotations

import csv
import random
from pathlib import Path

PLACES = (  # (town, admin1, latitude, longitude): real places, for the map's frame only
    ("Gao", "Gao", 16.27, -0.04), ("Timbuktu", "Tombouctou", 16.77, -3.01), ("Mopti", "Mopti", 14.49, -4.2),
    ("Menaka", "Menaka", 15.92, 2.4), ("Kidal", "Kidal", 18.44, 1.41), ("Segou", "Segou", 13.43, -6.26),
)
ACLED_TYPES = ("Battles", "Explosions/Remote violence", "Violence against civilians", "Strategic developments")
ACLED_HEADER = (
    "event_id_cnty,event_date,year,time_precision,disorder_type,event_type,sub_event_type,actor1,assoc_actor_1,"
    "inter1,actor2,assoc_actor_2,inter2,interaction,civilian_targeting,iso,region,country,admin1,admin2,admin3,"
    "location,latitude,longitude,geo_precision,source,source_scale,notes,fatalities,tags,timestamp"
).split(",")
GROUP = "JNIM: Group for Support of Islam and Muslims"
OTHER = "Military Forces of Testland"


def _days(rng: random.Random, n: int, first: str, months: int) -> list[str]:
    """`n` days drawn from the `months` months from `first` (YYYY-MM), in order."""
    start = int(first[:4]) * 12 + int(first[5:]) - 1
    out = []
    for _ in range(n):
        k = start + rng.randrange(months)
        out.append(f"{k // 12:04d}-{k % 12 + 1:02d}-{rng.randint(1, 28):02d}")
    return sorted(out)


def acled_layout(path: Path, *, rows: int = 120, seed: int = 7) -> Path:
    """A SYNTHETIC export in ACLED's current layout: `rows` invented events, 2017-03 to 2018-07."""
    rng = random.Random(seed)
    with path.open("w", encoding="utf-8", newline="") as f:
        out = csv.writer(f)
        out.writerow(ACLED_HEADER)
        for i, day in enumerate(_days(rng, rows, "2017-03", 17), 1):
            town, admin1, lat, lon = rng.choice(PLACES)
            first, second = (GROUP, OTHER) if rng.random() < 0.7 else (OTHER, GROUP)
            values = {
                "event_id_cnty": f"SYN{i}", "event_date": day, "year": day[:4], "time_precision": "1",
                "disorder_type": "Political violence", "event_type": rng.choice(ACLED_TYPES),
                "sub_event_type": "SYNTHETIC", "actor1": first, "actor2": second, "inter1": "2", "inter2": "1",
                "interaction": "12", "iso": "466", "region": "Western Africa", "country": "Mali", "admin1": admin1,
                "location": town, "latitude": str(lat), "longitude": str(lon), "geo_precision": "1",
                "source": "SYNTHETIC", "source_scale": "SYNTHETIC", "notes": "SYNTHETIC test row, not a real event",
                "fatalities": str(rng.choice((0, 0, 1, 2, 3, 5))), "timestamp": "1500000000",
            }
            out.writerow([values.get(c, "") for c in ACLED_HEADER])
    return path


GED_HEADER = (
    "id,relid,year,active_year,code_status,type_of_violence,conflict_dset_id,conflict_new_id,conflict_name,"
    "dyad_dset_id,dyad_new_id,dyad_name,side_a_dset_id,side_a_new_id,side_a,side_b_dset_id,side_b_new_id,side_b,"
    "number_of_sources,source_article,source_office,source_date,source_headline,source_original,where_prec,"
    "where_coordinates,where_description,adm_1,adm_2,latitude,longitude,geom_wkt,priogrid_gid,country,country_id,"
    "region,event_clarity,date_prec,date_start,date_end,deaths_a,deaths_b,deaths_civilians,deaths_unknown,best,"
    "high,low,gwnoa,gwnob"
).split(",")


def ged_layout(path: Path, precisions: list[int], *, seed: int = 11) -> Path:
    """A SYNTHETIC export in UCDP GED's layout: one invented event per item of `precisions` (its
    where_prec, 1 to 7), in 2018, side A the group or the state, type of violence varied."""
    rng = random.Random(seed)
    with path.open("w", encoding="utf-8", newline="") as f:
        out = csv.writer(f)
        out.writerow(GED_HEADER)
        days = _days(rng, len(precisions), "2018-01", 12)
        for i, (precision, day) in enumerate(zip(precisions, days), 1):
            town, admin1, lat, lon = rng.choice(PLACES)
            violence = rng.choice((1, 2, 3))
            side_a, side_b = ("JNIM", "Government of Mali") if i % 3 else ("Government of Mali", "JNIM")
            deaths = rng.randint(1, 9)
            values = {
                "id": str(900000 + i), "relid": f"SYN-{i}", "year": day[:4], "active_year": "1", "code_status": "Clear",
                "type_of_violence": str(violence), "conflict_name": "SYNTHETIC", "dyad_name": f"{side_a} - {side_b}",
                "side_a": side_a, "side_b": side_b, "number_of_sources": "1",
                "source_article": "SYNTHETIC test row, not a real event", "where_prec": str(precision),
                "where_coordinates": town, "where_description": "SYNTHETIC", "adm_1": f"{admin1} region",
                "latitude": str(lat), "longitude": str(lon), "country": "Mali", "country_id": "432",
                "region": "Africa", "event_clarity": "1", "date_prec": "1", "date_start": f"{day} 00:00:00.000",
                "date_end": f"{day} 00:00:00.000", "deaths_a": "0", "deaths_b": str(deaths), "best": str(deaths),
                "high": str(deaths), "low": str(deaths),
            }
            out.writerow([values.get(c, "") for c in GED_HEADER])
    return path
