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
), "portfolio_in_house" /* spec line 34: let portfolio_in_house = mean(share_in_house over year in portfolio_from..portfolio_to) */ AS (
  SELECT
    "region",
    "region_type",
    AVG(CASE WHEN "year" BETWEEN 2014 AND 2017 THEN "share_in_house" END) AS "portfolio_in_house"
  FROM "share_in_house"
  GROUP BY
    "region",
    "region_type"
), "share_russia" /* spec line 30: let share_russia = amt_russia / amt_total */ AS (
  SELECT
    *,
    "amt_russia" / NULLIF("amt_total", 0) AS "share_russia"
  FROM "share_in_house"
), "portfolio_russia" /* spec line 35: let portfolio_russia = mean(share_russia over year in portfolio_from..portfolio_to) */ AS (
  SELECT
    *
  FROM "portfolio_in_house"
  FULL JOIN (
    SELECT
      "region",
      "region_type",
      AVG(CASE WHEN "year" BETWEEN 2014 AND 2017 THEN "share_russia" END) AS "portfolio_russia"
    FROM "share_russia"
    GROUP BY
      "region",
      "region_type"
  ) AS "portfolio_russia"
    USING ("region", "region_type")
), "share_abroad" /* spec line 31: let share_abroad = amt_abroad / amt_total */ AS (
  SELECT
    *,
    "amt_abroad" / NULLIF("amt_total", 0) AS "share_abroad"
  FROM "share_russia"
), "portfolio_abroad" /* spec line 36: let portfolio_abroad = mean(share_abroad over year in portfolio_from..portfolio_to) */ AS (
  SELECT
    *
  FROM "portfolio_russia"
  FULL JOIN (
    SELECT
      "region",
      "region_type",
      AVG(CASE WHEN "year" BETWEEN 2014 AND 2017 THEN "share_abroad" END) AS "portfolio_abroad"
    FROM "share_abroad"
    GROUP BY
      "region",
      "region_type"
  ) AS "portfolio_abroad"
    USING ("region", "region_type")
)
SELECT
  "region",
  "region_type",
  "portfolio_in_house" AS "in_house",
  "portfolio_russia" AS "russia",
  "portfolio_abroad" AS "abroad"
FROM "portfolio_abroad"
ORDER BY
  "region"
