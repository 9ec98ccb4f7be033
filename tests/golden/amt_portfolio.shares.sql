WITH "amt" /* table amt: region by year */ AS (
  SELECT
    "region",
    "region_type",
    "year",
    CAST("amt_total" AS DOUBLE) AS "amt_total",
    CAST("amt_in_house" AS DOUBLE) AS "amt_in_house",
    CAST("amt_russia" AS DOUBLE) AS "amt_russia",
    CAST("amt_abroad" AS DOUBLE) AS "amt_abroad"
  FROM "input"."amt"
), "share_in_house" /* spec line 29: let share_in_house = amt_in_house / amt_total */ AS (
  SELECT
    *,
    "amt_in_house" / NULLIF("amt_total", 0) AS "share_in_house"
  FROM "amt"
), "share_russia" /* spec line 30: let share_russia = amt_russia / amt_total */ AS (
  SELECT
    *,
    "amt_russia" / NULLIF("amt_total", 0) AS "share_russia"
  FROM "share_in_house"
), "share_abroad" /* spec line 31: let share_abroad = amt_abroad / amt_total */ AS (
  SELECT
    *,
    "amt_abroad" / NULLIF("amt_total", 0) AS "share_abroad"
  FROM "share_russia"
)
SELECT
  "region",
  "year",
  "region_type",
  "amt_total",
  "share_in_house",
  "share_russia",
  "share_abroad"
FROM "share_abroad"
ORDER BY
  "region",
  "year"
