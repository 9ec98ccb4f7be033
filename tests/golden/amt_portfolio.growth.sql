WITH "amt" /* table amt: region by year */ AS (
  SELECT
    "region",
    "year",
    CAST("amt_total" AS DOUBLE) AS "amt_total"
  FROM "input"."amt"
), "from_year" /* spec line 73: output growth: growth_from as from_year */ AS (
  SELECT
    2011 AS "from_year"
), "to_year" /* spec line 73: output growth: growth_to as to_year */ AS (
  SELECT
    *,
    2018 AS "to_year"
  FROM "from_year"
), "national_total" /* spec line 46: let national_total = sum(amt_total over region) */ AS (
  SELECT
    "year",
    SUM("amt_total") AS "national_total"
  FROM "amt"
  GROUP BY
    "year"
), "amt_from" /* spec line 74: output growth: national_total at growth_from as amt_from */ AS (
  SELECT
    *
  FROM "to_year"
  CROSS JOIN (
    SELECT
      MAX(CASE WHEN "year" = 2011 THEN "national_total" END) AS "amt_from"
    FROM "national_total"
  ) AS "amt_from"
), "amt_to" /* spec line 74: output growth: national_total at growth_to as amt_to */ AS (
  SELECT
    *
  FROM "amt_from"
  CROSS JOIN (
    SELECT
      MAX(CASE WHEN "year" = 2018 THEN "national_total" END) AS "amt_to"
    FROM "national_total"
  ) AS "amt_to"
), "national_growth" /* spec line 47: let national_growth = national_total at growth_to / national_total at growth_from - 1 */ AS (
  SELECT
    *
  FROM "amt_to"
  CROSS JOIN (
    SELECT
      MAX(CASE WHEN "year" = 2018 THEN "national_total" END) / NULLIF(MAX(CASE WHEN "year" = 2011 THEN "national_total" END), 0) - 1 AS "national_growth"
    FROM "national_total"
  ) AS "national_growth"
), "growth_pct" /* spec line 75: output growth: round(100 * national_growth, 1) as growth_pct */ AS (
  SELECT
    *,
    ROUND(100 * "national_growth", 1) AS "growth_pct"
  FROM "national_growth"
)
SELECT
  "from_year",
  "to_year",
  "amt_from",
  "amt_to",
  "growth_pct"
FROM "growth_pct"
