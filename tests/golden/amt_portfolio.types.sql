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
), "type_total" /* spec line 40: let type_total = sum(amt_total by region_type) */ AS (
  SELECT
    "region_type",
    "year",
    SUM("amt_total") AS "type_total"
  FROM "amt"
  GROUP BY
    "region_type",
    "year"
), "sum_amt_in_house_by_region_type" /* spec line 41: sum(amt_in_house by region_type) in type_in_house */ AS (
  SELECT
    *
  FROM "type_total"
  FULL JOIN (
    SELECT
      "region_type",
      "year",
      SUM("amt_in_house") AS "sum_amt_in_house_by_region_type"
    FROM "amt"
    GROUP BY
      "region_type",
      "year"
  ) AS "sum_amt_in_house_by_region_type"
    USING ("region_type", "year")
), "type_in_house" /* spec line 41: let type_in_house = sum(amt_in_house by region_type) / type_total */ AS (
  SELECT
    *,
    "sum_amt_in_house_by_region_type" / NULLIF("type_total", 0) AS "type_in_house"
  FROM "sum_amt_in_house_by_region_type"
), "in_house" /* spec line 58: output types: mean(type_in_house over year in portfolio_from..portfolio_to) as in_house */ AS (
  SELECT
    "region_type",
    AVG(CASE WHEN "year" BETWEEN 2014 AND 2017 THEN "type_in_house" END) AS "in_house"
  FROM "type_in_house"
  GROUP BY
    "region_type"
), "sum_amt_russia_by_region_type" /* spec line 42: sum(amt_russia by region_type) in type_russia */ AS (
  SELECT
    *
  FROM "type_in_house"
  FULL JOIN (
    SELECT
      "region_type",
      "year",
      SUM("amt_russia") AS "sum_amt_russia_by_region_type"
    FROM "amt"
    GROUP BY
      "region_type",
      "year"
  ) AS "sum_amt_russia_by_region_type"
    USING ("region_type", "year")
), "type_russia" /* spec line 42: let type_russia = sum(amt_russia by region_type) / type_total */ AS (
  SELECT
    *,
    "sum_amt_russia_by_region_type" / NULLIF("type_total", 0) AS "type_russia"
  FROM "sum_amt_russia_by_region_type"
), "russia" /* spec line 59: output types: mean(type_russia over year in portfolio_from..portfolio_to) as russia */ AS (
  SELECT
    *
  FROM "in_house"
  FULL JOIN (
    SELECT
      "region_type",
      AVG(CASE WHEN "year" BETWEEN 2014 AND 2017 THEN "type_russia" END) AS "russia"
    FROM "type_russia"
    GROUP BY
      "region_type"
  ) AS "russia"
    USING ("region_type")
), "sum_amt_abroad_by_region_type" /* spec line 43: sum(amt_abroad by region_type) in type_abroad */ AS (
  SELECT
    *
  FROM "type_russia"
  FULL JOIN (
    SELECT
      "region_type",
      "year",
      SUM("amt_abroad") AS "sum_amt_abroad_by_region_type"
    FROM "amt"
    GROUP BY
      "region_type",
      "year"
  ) AS "sum_amt_abroad_by_region_type"
    USING ("region_type", "year")
), "type_abroad" /* spec line 43: let type_abroad = sum(amt_abroad by region_type) / type_total */ AS (
  SELECT
    *,
    "sum_amt_abroad_by_region_type" / NULLIF("type_total", 0) AS "type_abroad"
  FROM "sum_amt_abroad_by_region_type"
), "abroad" /* spec line 60: output types: mean(type_abroad over year in portfolio_from..portfolio_to) as abroad */ AS (
  SELECT
    *
  FROM "russia"
  FULL JOIN (
    SELECT
      "region_type",
      AVG(CASE WHEN "year" BETWEEN 2014 AND 2017 THEN "type_abroad" END) AS "abroad"
    FROM "type_abroad"
    GROUP BY
      "region_type"
  ) AS "abroad"
    USING ("region_type")
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
), "in_house_mean_of_regions" /* spec line 61: output types: mean(portfolio_in_house by region_type) as in_house_mean_of_regions */ AS (
  SELECT
    *
  FROM "abroad"
  FULL JOIN (
    SELECT
      "region_type",
      AVG("portfolio_in_house") AS "in_house_mean_of_regions"
    FROM "portfolio_in_house"
    GROUP BY
      "region_type"
  ) AS "in_house_mean_of_regions"
    USING ("region_type")
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
), "russia_mean_of_regions" /* spec line 62: output types: mean(portfolio_russia by region_type) as russia_mean_of_regions */ AS (
  SELECT
    *
  FROM "in_house_mean_of_regions"
  FULL JOIN (
    SELECT
      "region_type",
      AVG("portfolio_russia") AS "russia_mean_of_regions"
    FROM "portfolio_russia"
    GROUP BY
      "region_type"
  ) AS "russia_mean_of_regions"
    USING ("region_type")
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
), "abroad_mean_of_regions" /* spec line 63: output types: mean(portfolio_abroad by region_type) as abroad_mean_of_regions */ AS (
  SELECT
    *
  FROM "russia_mean_of_regions"
  FULL JOIN (
    SELECT
      "region_type",
      AVG("portfolio_abroad") AS "abroad_mean_of_regions"
    FROM "portfolio_abroad"
    GROUP BY
      "region_type"
  ) AS "abroad_mean_of_regions"
    USING ("region_type")
), "regions" /* spec line 64: output types: count(portfolio_abroad by region_type) as regions */ AS (
  SELECT
    *
  FROM "abroad_mean_of_regions"
  FULL JOIN (
    SELECT
      "region_type",
      COUNT("portfolio_abroad") AS "regions"
    FROM "portfolio_abroad"
    GROUP BY
      "region_type"
  ) AS "regions"
    USING ("region_type")
)
SELECT
  "region_type",
  "in_house",
  "russia",
  "abroad",
  "in_house_mean_of_regions",
  "russia_mean_of_regions",
  "abroad_mean_of_regions",
  "regions"
FROM "regions"
ORDER BY
  "region_type"
