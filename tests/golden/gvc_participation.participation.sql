WITH "tiva" /* table tiva: country by year */ AS (
  SELECT
    "country",
    "year",
    CAST("gross_exports" AS DOUBLE) AS "gross_exports",
    CAST("foreign_va" AS DOUBLE) AS "foreign_va",
    CAST("domestic_va_in_partner_exports" AS DOUBLE) AS "domestic_va_in_partner_exports"
  FROM "input"."tiva"
), "backward" /* spec line 27: let backward = foreign_va / gross_exports */ AS (
  SELECT
    *,
    "foreign_va" / NULLIF("gross_exports", 0) AS "backward"
  FROM "tiva"
), "forward" /* spec line 29: let forward = domestic_va_in_partner_exports / gross_exports */ AS (
  SELECT
    *,
    "domestic_va_in_partner_exports" / NULLIF("gross_exports", 0) AS "forward"
  FROM "backward"
), "participation" /* spec line 30: let participation = backward + forward */ AS (
  SELECT
    *,
    "backward" + "forward" AS "participation"
  FROM "forward"
), "position" /* spec line 33: let position = ln(1 + forward) - ln(1 + backward) */ AS (
  SELECT
    *,
    LN(1 + "forward") - LN(1 + "backward") AS "position"
  FROM "participation"
)
SELECT
  "country",
  "year",
  "backward",
  "forward",
  "participation",
  "position"
FROM "position"
ORDER BY
  "country",
  "year"
