WITH "amt" /* table amt: region by year */ AS (
  SELECT
    "region",
    "year",
    CAST("amt_total" AS DOUBLE) AS "amt_total",
    CAST("amt_in_house" AS DOUBLE) AS "amt_in_house",
    CAST("amt_russia" AS DOUBLE) AS "amt_russia",
    CAST("amt_abroad" AS DOUBLE) AS "amt_abroad"
  FROM "input"."amt"
), "national_total" /* spec line 46: let national_total = sum(amt_total over region) */ AS (
  SELECT
    "year",
    SUM("amt_total") AS "national_total"
  FROM "amt"
  GROUP BY
    "year"
), "sum_amt_in_house_over_region" /* spec line 68: sum(amt_in_house over region) in national_share_in_house */ AS (
  SELECT
    *
  FROM "national_total"
  FULL JOIN (
    SELECT
      "year",
      SUM("amt_in_house") AS "sum_amt_in_house_over_region"
    FROM "amt"
    GROUP BY
      "year"
  ) AS "sum_amt_in_house_over_region"
    USING ("year")
), "national_share_in_house" /* spec line 68: output national: sum(amt_in_house over region) / national_total as share_in_house */ AS (
  SELECT
    *,
    "sum_amt_in_house_over_region" / NULLIF("national_total", 0) AS "national_share_in_house"
  FROM "sum_amt_in_house_over_region"
), "sum_amt_russia_over_region" /* spec line 69: sum(amt_russia over region) in national_share_russia */ AS (
  SELECT
    *
  FROM "national_share_in_house"
  FULL JOIN (
    SELECT
      "year",
      SUM("amt_russia") AS "sum_amt_russia_over_region"
    FROM "amt"
    GROUP BY
      "year"
  ) AS "sum_amt_russia_over_region"
    USING ("year")
), "national_share_russia" /* spec line 69: output national: sum(amt_russia over region) / national_total as share_russia */ AS (
  SELECT
    *,
    "sum_amt_russia_over_region" / NULLIF("national_total", 0) AS "national_share_russia"
  FROM "sum_amt_russia_over_region"
), "sum_amt_abroad_over_region" /* spec line 70: sum(amt_abroad over region) in national_share_abroad */ AS (
  SELECT
    *
  FROM "national_share_russia"
  FULL JOIN (
    SELECT
      "year",
      SUM("amt_abroad") AS "sum_amt_abroad_over_region"
    FROM "amt"
    GROUP BY
      "year"
  ) AS "sum_amt_abroad_over_region"
    USING ("year")
), "national_share_abroad" /* spec line 70: output national: sum(amt_abroad over region) / national_total as share_abroad */ AS (
  SELECT
    *,
    "sum_amt_abroad_over_region" / NULLIF("national_total", 0) AS "national_share_abroad"
  FROM "sum_amt_abroad_over_region"
)
SELECT
  "year",
  "national_total" AS "amt_total",
  "national_share_in_house" AS "share_in_house",
  "national_share_russia" AS "share_russia",
  "national_share_abroad" AS "share_abroad"
FROM "national_share_abroad"
ORDER BY
  "year"
