CREATE SCHEMA IF NOT EXISTS "shared";

-- shared co2_pc, economy, gdp_pc, innovation, patents_pc, rd_intensity, s_co2, s_gdp, s_patents, s_rd, s_renewables, s_unemployment, treat_impute_co2_pc_values, treat_impute_co2_pc_winsorised_1, treat_impute_co2_pc_winsorised_2, treat_impute_co2_pc_winsorised_3, treat_impute_co2_pc_winsorised_4, treat_impute_co2_pc_winsorised_5, treat_impute_gdp_pc_values, treat_impute_gdp_pc_winsorised_1, treat_impute_gdp_pc_winsorised_2, treat_impute_gdp_pc_winsorised_3, treat_impute_gdp_pc_winsorised_4, treat_impute_gdp_pc_winsorised_5, treat_impute_patents_pc_values, treat_impute_patents_pc_winsorised_1, treat_impute_patents_pc_winsorised_2, treat_impute_patents_pc_winsorised_3, treat_impute_patents_pc_winsorised_4, treat_impute_patents_pc_winsorised_5, treat_impute_rd_intensity_values, treat_impute_rd_intensity_winsorised_1, treat_impute_rd_intensity_winsorised_2, treat_impute_rd_intensity_winsorised_3, treat_impute_rd_intensity_winsorised_4, treat_impute_rd_intensity_winsorised_5, treat_impute_renewables_values, treat_impute_renewables_winsorised_1, treat_impute_renewables_winsorised_2, treat_impute_renewables_winsorised_3, treat_impute_renewables_winsorised_4, treat_impute_renewables_winsorised_5, treat_impute_unemployment_values, treat_impute_unemployment_winsorised_1, treat_impute_unemployment_winsorised_2, treat_impute_unemployment_winsorised_3, treat_impute_unemployment_winsorised_4, treat_impute_unemployment_winsorised_5: computed once, read by scores, indicators
CREATE TABLE "shared"."region_year" AS
WITH "regions" /* table regions: region by year */ AS (
  SELECT
    "region",
    "macro_region",
    "year",
    CAST("population" AS DOUBLE) AS "population",
    CAST("gdp" AS DOUBLE) AS "gdp",
    CAST("patents" AS DOUBLE) AS "patents",
    CAST("rd_spend" AS DOUBLE) AS "rd_spend",
    CAST("unemployment" AS DOUBLE) AS "unemployment",
    CAST("co2" AS DOUBLE) AS "co2",
    CAST("renewables" AS DOUBLE) AS "renewables"
  FROM "input"."regions"
), "reductions_by_macro_region_year" /* in one GROUP BY: median(unemployment by macro_region), median(renewables by macro_region) */ AS (
  SELECT
    "macro_region",
    "year",
    MEDIAN("unemployment") AS "median_unemployment_by_macro_region",
    MEDIAN("renewables") AS "median_renewables_by_macro_region"
  FROM "regions"
  GROUP BY
    "macro_region",
    "year"
), "regions_with_reductions_by_macro_region_year" /* reductions_by_macro_region_year on every row */ AS (
  SELECT
    "regions".*,
    "reductions_by_macro_region_year"."median_unemployment_by_macro_region" AS "median_unemployment_by_macro_region",
    "reductions_by_macro_region_year"."median_renewables_by_macro_region" AS "median_renewables_by_macro_region"
  FROM "regions"
  LEFT JOIN "reductions_by_macro_region_year"
    USING ("macro_region", "year")
), "gdp_pc" /* spec line 26: let gdp_pc = gdp / population * 1000000 "GDP per resident" */ AS (
  SELECT
    *,
    "gdp" / NULLIF("population", 0) * 1000000 AS "gdp_pc"
  FROM "regions_with_reductions_by_macro_region_year"
), "treat_impute_gdp_pc_values" /* spec line 34: treat(impute(gdp_pc)): values */ AS (
  SELECT
    *,
    COALESCE(
      COALESCE(
        "gdp_pc",
        LAST_VALUE("gdp_pc" IGNORE NULLS) OVER (
          PARTITION BY "region"
          ORDER BY "year"
          ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING
        ) + (
          FIRST_VALUE("gdp_pc" IGNORE NULLS) OVER (
            PARTITION BY "region"
            ORDER BY "year"
            ROWS BETWEEN 1 FOLLOWING AND UNBOUNDED FOLLOWING
          ) - LAST_VALUE("gdp_pc" IGNORE NULLS) OVER (
            PARTITION BY "region"
            ORDER BY "year"
            ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING
          )
        ) / (
          FIRST_VALUE(CASE WHEN NOT "gdp_pc" IS NULL THEN "year" END IGNORE NULLS) OVER (
            PARTITION BY "region"
            ORDER BY "year"
            ROWS BETWEEN 1 FOLLOWING AND UNBOUNDED FOLLOWING
          ) - LAST_VALUE(CASE WHEN NOT "gdp_pc" IS NULL THEN "year" END IGNORE NULLS) OVER (
            PARTITION BY "region"
            ORDER BY "year"
            ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING
          )
        ) * (
          "year" - LAST_VALUE(CASE WHEN NOT "gdp_pc" IS NULL THEN "year" END IGNORE NULLS) OVER (
            PARTITION BY "region"
            ORDER BY "year"
            ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING
          )
        )
      ),
      MEDIAN("gdp_pc") OVER (PARTITION BY "macro_region", "year")
    ) AS "treat_impute_gdp_pc_values"
  FROM "gdp_pc"
), "treat_impute_gdp_pc_winsorised_1_max_arg" /* spec line 34: argument of max(impute(gdp_pc) over region) in treat_impute_gdp_pc_winsorised_1 */ AS (
  SELECT
    *,
    CASE
      WHEN "treat_impute_gdp_pc_values" < MAX("treat_impute_gdp_pc_values") OVER (PARTITION BY "year")
      THEN "treat_impute_gdp_pc_values"
      ELSE NULL
    END AS "treat_impute_gdp_pc_winsorised_1_max_arg"
  FROM "treat_impute_gdp_pc_values"
), "treat_impute_gdp_pc_winsorised_1_min_arg" /* spec line 34: argument of min(impute(gdp_pc) over region) in treat_impute_gdp_pc_winsorised_1 */ AS (
  SELECT
    *,
    CASE
      WHEN "treat_impute_gdp_pc_values" > MIN("treat_impute_gdp_pc_values") OVER (PARTITION BY "year")
      THEN "treat_impute_gdp_pc_values"
      ELSE NULL
    END AS "treat_impute_gdp_pc_winsorised_1_min_arg"
  FROM "treat_impute_gdp_pc_winsorised_1_max_arg"
), "treat_impute_gdp_pc_winsorised_1" /* spec line 34: treat(impute(gdp_pc)): winsorised 1 */ AS (
  SELECT
    *,
    CASE
      WHEN ABS(SKEWNESS("treat_impute_gdp_pc_values") OVER (PARTITION BY "year")) >= 2
      AND KURTOSIS("treat_impute_gdp_pc_values") OVER (PARTITION BY "year") >= 3.5
      AND SKEWNESS("treat_impute_gdp_pc_values") OVER (PARTITION BY "year") > 0
      AND "treat_impute_gdp_pc_values" = MAX("treat_impute_gdp_pc_values") OVER (PARTITION BY "year")
      THEN MAX("treat_impute_gdp_pc_winsorised_1_max_arg") OVER (PARTITION BY "year")
      ELSE CASE
        WHEN ABS(SKEWNESS("treat_impute_gdp_pc_values") OVER (PARTITION BY "year")) >= 2
        AND KURTOSIS("treat_impute_gdp_pc_values") OVER (PARTITION BY "year") >= 3.5
        AND SKEWNESS("treat_impute_gdp_pc_values") OVER (PARTITION BY "year") < 0
        AND "treat_impute_gdp_pc_values" = MIN("treat_impute_gdp_pc_values") OVER (PARTITION BY "year")
        THEN MIN("treat_impute_gdp_pc_winsorised_1_min_arg") OVER (PARTITION BY "year")
        ELSE "treat_impute_gdp_pc_values"
      END
    END AS "treat_impute_gdp_pc_winsorised_1"
  FROM "treat_impute_gdp_pc_winsorised_1_min_arg"
), "treat_impute_gdp_pc_winsorised_2_max_arg" /* spec line 34: argument of max(impute(gdp_pc) over region) in treat_impute_gdp_pc_winsorised_2 */ AS (
  SELECT
    *,
    CASE
      WHEN "treat_impute_gdp_pc_winsorised_1" < MAX("treat_impute_gdp_pc_winsorised_1") OVER (PARTITION BY "year")
      THEN "treat_impute_gdp_pc_winsorised_1"
      ELSE NULL
    END AS "treat_impute_gdp_pc_winsorised_2_max_arg"
  FROM "treat_impute_gdp_pc_winsorised_1"
), "treat_impute_gdp_pc_winsorised_2_min_arg" /* spec line 34: argument of min(impute(gdp_pc) over region) in treat_impute_gdp_pc_winsorised_2 */ AS (
  SELECT
    *,
    CASE
      WHEN "treat_impute_gdp_pc_winsorised_1" > MIN("treat_impute_gdp_pc_winsorised_1") OVER (PARTITION BY "year")
      THEN "treat_impute_gdp_pc_winsorised_1"
      ELSE NULL
    END AS "treat_impute_gdp_pc_winsorised_2_min_arg"
  FROM "treat_impute_gdp_pc_winsorised_2_max_arg"
), "treat_impute_gdp_pc_winsorised_2" /* spec line 34: treat(impute(gdp_pc)): winsorised 2 */ AS (
  SELECT
    *,
    CASE
      WHEN ABS(SKEWNESS("treat_impute_gdp_pc_winsorised_1") OVER (PARTITION BY "year")) >= 2
      AND KURTOSIS("treat_impute_gdp_pc_winsorised_1") OVER (PARTITION BY "year") >= 3.5
      AND SKEWNESS("treat_impute_gdp_pc_winsorised_1") OVER (PARTITION BY "year") > 0
      AND "treat_impute_gdp_pc_winsorised_1" = MAX("treat_impute_gdp_pc_winsorised_1") OVER (PARTITION BY "year")
      THEN MAX("treat_impute_gdp_pc_winsorised_2_max_arg") OVER (PARTITION BY "year")
      ELSE CASE
        WHEN ABS(SKEWNESS("treat_impute_gdp_pc_winsorised_1") OVER (PARTITION BY "year")) >= 2
        AND KURTOSIS("treat_impute_gdp_pc_winsorised_1") OVER (PARTITION BY "year") >= 3.5
        AND SKEWNESS("treat_impute_gdp_pc_winsorised_1") OVER (PARTITION BY "year") < 0
        AND "treat_impute_gdp_pc_winsorised_1" = MIN("treat_impute_gdp_pc_winsorised_1") OVER (PARTITION BY "year")
        THEN MIN("treat_impute_gdp_pc_winsorised_2_min_arg") OVER (PARTITION BY "year")
        ELSE "treat_impute_gdp_pc_winsorised_1"
      END
    END AS "treat_impute_gdp_pc_winsorised_2"
  FROM "treat_impute_gdp_pc_winsorised_2_min_arg"
), "treat_impute_gdp_pc_winsorised_3_max_arg" /* spec line 34: argument of max(impute(gdp_pc) over region) in treat_impute_gdp_pc_winsorised_3 */ AS (
  SELECT
    *,
    CASE
      WHEN "treat_impute_gdp_pc_winsorised_2" < MAX("treat_impute_gdp_pc_winsorised_2") OVER (PARTITION BY "year")
      THEN "treat_impute_gdp_pc_winsorised_2"
      ELSE NULL
    END AS "treat_impute_gdp_pc_winsorised_3_max_arg"
  FROM "treat_impute_gdp_pc_winsorised_2"
), "treat_impute_gdp_pc_winsorised_3_min_arg" /* spec line 34: argument of min(impute(gdp_pc) over region) in treat_impute_gdp_pc_winsorised_3 */ AS (
  SELECT
    *,
    CASE
      WHEN "treat_impute_gdp_pc_winsorised_2" > MIN("treat_impute_gdp_pc_winsorised_2") OVER (PARTITION BY "year")
      THEN "treat_impute_gdp_pc_winsorised_2"
      ELSE NULL
    END AS "treat_impute_gdp_pc_winsorised_3_min_arg"
  FROM "treat_impute_gdp_pc_winsorised_3_max_arg"
), "treat_impute_gdp_pc_winsorised_3" /* spec line 34: treat(impute(gdp_pc)): winsorised 3 */ AS (
  SELECT
    *,
    CASE
      WHEN ABS(SKEWNESS("treat_impute_gdp_pc_winsorised_2") OVER (PARTITION BY "year")) >= 2
      AND KURTOSIS("treat_impute_gdp_pc_winsorised_2") OVER (PARTITION BY "year") >= 3.5
      AND SKEWNESS("treat_impute_gdp_pc_winsorised_2") OVER (PARTITION BY "year") > 0
      AND "treat_impute_gdp_pc_winsorised_2" = MAX("treat_impute_gdp_pc_winsorised_2") OVER (PARTITION BY "year")
      THEN MAX("treat_impute_gdp_pc_winsorised_3_max_arg") OVER (PARTITION BY "year")
      ELSE CASE
        WHEN ABS(SKEWNESS("treat_impute_gdp_pc_winsorised_2") OVER (PARTITION BY "year")) >= 2
        AND KURTOSIS("treat_impute_gdp_pc_winsorised_2") OVER (PARTITION BY "year") >= 3.5
        AND SKEWNESS("treat_impute_gdp_pc_winsorised_2") OVER (PARTITION BY "year") < 0
        AND "treat_impute_gdp_pc_winsorised_2" = MIN("treat_impute_gdp_pc_winsorised_2") OVER (PARTITION BY "year")
        THEN MIN("treat_impute_gdp_pc_winsorised_3_min_arg") OVER (PARTITION BY "year")
        ELSE "treat_impute_gdp_pc_winsorised_2"
      END
    END AS "treat_impute_gdp_pc_winsorised_3"
  FROM "treat_impute_gdp_pc_winsorised_3_min_arg"
), "treat_impute_gdp_pc_winsorised_4_max_arg" /* spec line 34: argument of max(impute(gdp_pc) over region) in treat_impute_gdp_pc_winsorised_4 */ AS (
  SELECT
    *,
    CASE
      WHEN "treat_impute_gdp_pc_winsorised_3" < MAX("treat_impute_gdp_pc_winsorised_3") OVER (PARTITION BY "year")
      THEN "treat_impute_gdp_pc_winsorised_3"
      ELSE NULL
    END AS "treat_impute_gdp_pc_winsorised_4_max_arg"
  FROM "treat_impute_gdp_pc_winsorised_3"
), "treat_impute_gdp_pc_winsorised_4_min_arg" /* spec line 34: argument of min(impute(gdp_pc) over region) in treat_impute_gdp_pc_winsorised_4 */ AS (
  SELECT
    *,
    CASE
      WHEN "treat_impute_gdp_pc_winsorised_3" > MIN("treat_impute_gdp_pc_winsorised_3") OVER (PARTITION BY "year")
      THEN "treat_impute_gdp_pc_winsorised_3"
      ELSE NULL
    END AS "treat_impute_gdp_pc_winsorised_4_min_arg"
  FROM "treat_impute_gdp_pc_winsorised_4_max_arg"
), "treat_impute_gdp_pc_winsorised_4" /* spec line 34: treat(impute(gdp_pc)): winsorised 4 */ AS (
  SELECT
    *,
    CASE
      WHEN ABS(SKEWNESS("treat_impute_gdp_pc_winsorised_3") OVER (PARTITION BY "year")) >= 2
      AND KURTOSIS("treat_impute_gdp_pc_winsorised_3") OVER (PARTITION BY "year") >= 3.5
      AND SKEWNESS("treat_impute_gdp_pc_winsorised_3") OVER (PARTITION BY "year") > 0
      AND "treat_impute_gdp_pc_winsorised_3" = MAX("treat_impute_gdp_pc_winsorised_3") OVER (PARTITION BY "year")
      THEN MAX("treat_impute_gdp_pc_winsorised_4_max_arg") OVER (PARTITION BY "year")
      ELSE CASE
        WHEN ABS(SKEWNESS("treat_impute_gdp_pc_winsorised_3") OVER (PARTITION BY "year")) >= 2
        AND KURTOSIS("treat_impute_gdp_pc_winsorised_3") OVER (PARTITION BY "year") >= 3.5
        AND SKEWNESS("treat_impute_gdp_pc_winsorised_3") OVER (PARTITION BY "year") < 0
        AND "treat_impute_gdp_pc_winsorised_3" = MIN("treat_impute_gdp_pc_winsorised_3") OVER (PARTITION BY "year")
        THEN MIN("treat_impute_gdp_pc_winsorised_4_min_arg") OVER (PARTITION BY "year")
        ELSE "treat_impute_gdp_pc_winsorised_3"
      END
    END AS "treat_impute_gdp_pc_winsorised_4"
  FROM "treat_impute_gdp_pc_winsorised_4_min_arg"
), "treat_impute_gdp_pc_winsorised_5_max_arg" /* spec line 34: argument of max(impute(gdp_pc) over region) in treat_impute_gdp_pc_winsorised_5 */ AS (
  SELECT
    *,
    CASE
      WHEN "treat_impute_gdp_pc_winsorised_4" < MAX("treat_impute_gdp_pc_winsorised_4") OVER (PARTITION BY "year")
      THEN "treat_impute_gdp_pc_winsorised_4"
      ELSE NULL
    END AS "treat_impute_gdp_pc_winsorised_5_max_arg"
  FROM "treat_impute_gdp_pc_winsorised_4"
), "treat_impute_gdp_pc_winsorised_5_min_arg" /* spec line 34: argument of min(impute(gdp_pc) over region) in treat_impute_gdp_pc_winsorised_5 */ AS (
  SELECT
    *,
    CASE
      WHEN "treat_impute_gdp_pc_winsorised_4" > MIN("treat_impute_gdp_pc_winsorised_4") OVER (PARTITION BY "year")
      THEN "treat_impute_gdp_pc_winsorised_4"
      ELSE NULL
    END AS "treat_impute_gdp_pc_winsorised_5_min_arg"
  FROM "treat_impute_gdp_pc_winsorised_5_max_arg"
), "treat_impute_gdp_pc_winsorised_5" /* spec line 34: treat(impute(gdp_pc)): winsorised 5 */ AS (
  SELECT
    *,
    CASE
      WHEN ABS(SKEWNESS("treat_impute_gdp_pc_winsorised_4") OVER (PARTITION BY "year")) >= 2
      AND KURTOSIS("treat_impute_gdp_pc_winsorised_4") OVER (PARTITION BY "year") >= 3.5
      AND SKEWNESS("treat_impute_gdp_pc_winsorised_4") OVER (PARTITION BY "year") > 0
      AND "treat_impute_gdp_pc_winsorised_4" = MAX("treat_impute_gdp_pc_winsorised_4") OVER (PARTITION BY "year")
      THEN MAX("treat_impute_gdp_pc_winsorised_5_max_arg") OVER (PARTITION BY "year")
      ELSE CASE
        WHEN ABS(SKEWNESS("treat_impute_gdp_pc_winsorised_4") OVER (PARTITION BY "year")) >= 2
        AND KURTOSIS("treat_impute_gdp_pc_winsorised_4") OVER (PARTITION BY "year") >= 3.5
        AND SKEWNESS("treat_impute_gdp_pc_winsorised_4") OVER (PARTITION BY "year") < 0
        AND "treat_impute_gdp_pc_winsorised_4" = MIN("treat_impute_gdp_pc_winsorised_4") OVER (PARTITION BY "year")
        THEN MIN("treat_impute_gdp_pc_winsorised_5_min_arg") OVER (PARTITION BY "year")
        ELSE "treat_impute_gdp_pc_winsorised_4"
      END
    END AS "treat_impute_gdp_pc_winsorised_5"
  FROM "treat_impute_gdp_pc_winsorised_5_min_arg"
), "s_gdp_min_arg" /* spec line 39: argument of min(treat(impute(gdp_pc)) over region) in s_gdp */ AS (
  SELECT
    *,
    CASE
      WHEN ABS(SKEWNESS("treat_impute_gdp_pc_winsorised_5") OVER (PARTITION BY "year")) >= 2
      AND KURTOSIS("treat_impute_gdp_pc_winsorised_5") OVER (PARTITION BY "year") >= 3.5
      THEN LN(
        CASE
          WHEN "treat_impute_gdp_pc_values" - MIN("treat_impute_gdp_pc_values") OVER (PARTITION BY "year") + 0.01 * (
            MAX("treat_impute_gdp_pc_values") OVER (PARTITION BY "year") - MIN("treat_impute_gdp_pc_values") OVER (PARTITION BY "year")
          ) > 0
          THEN "treat_impute_gdp_pc_values" - MIN("treat_impute_gdp_pc_values") OVER (PARTITION BY "year") + 0.01 * (
            MAX("treat_impute_gdp_pc_values") OVER (PARTITION BY "year") - MIN("treat_impute_gdp_pc_values") OVER (PARTITION BY "year")
          )
        END
      )
      ELSE "treat_impute_gdp_pc_winsorised_5"
    END AS "s_gdp_min_arg"
  FROM "treat_impute_gdp_pc_winsorised_5"
), "s_gdp_max_arg" /* spec line 39: argument of max(treat(impute(gdp_pc)) over region) in s_gdp */ AS (
  SELECT
    *,
    CASE
      WHEN ABS(SKEWNESS("treat_impute_gdp_pc_winsorised_5") OVER (PARTITION BY "year")) >= 2
      AND KURTOSIS("treat_impute_gdp_pc_winsorised_5") OVER (PARTITION BY "year") >= 3.5
      THEN LN(
        CASE
          WHEN "treat_impute_gdp_pc_values" - MIN("treat_impute_gdp_pc_values") OVER (PARTITION BY "year") + 0.01 * (
            MAX("treat_impute_gdp_pc_values") OVER (PARTITION BY "year") - MIN("treat_impute_gdp_pc_values") OVER (PARTITION BY "year")
          ) > 0
          THEN "treat_impute_gdp_pc_values" - MIN("treat_impute_gdp_pc_values") OVER (PARTITION BY "year") + 0.01 * (
            MAX("treat_impute_gdp_pc_values") OVER (PARTITION BY "year") - MIN("treat_impute_gdp_pc_values") OVER (PARTITION BY "year")
          )
        END
      )
      ELSE "treat_impute_gdp_pc_winsorised_5"
    END AS "s_gdp_max_arg"
  FROM "s_gdp_min_arg"
), "s_gdp_min_arg_2" /* spec line 39: argument of min(treat(impute(gdp_pc)) over region) in s_gdp */ AS (
  SELECT
    *,
    CASE
      WHEN ABS(SKEWNESS("treat_impute_gdp_pc_winsorised_5") OVER (PARTITION BY "year")) >= 2
      AND KURTOSIS("treat_impute_gdp_pc_winsorised_5") OVER (PARTITION BY "year") >= 3.5
      THEN LN(
        CASE
          WHEN "treat_impute_gdp_pc_values" - MIN("treat_impute_gdp_pc_values") OVER (PARTITION BY "year") + 0.01 * (
            MAX("treat_impute_gdp_pc_values") OVER (PARTITION BY "year") - MIN("treat_impute_gdp_pc_values") OVER (PARTITION BY "year")
          ) > 0
          THEN "treat_impute_gdp_pc_values" - MIN("treat_impute_gdp_pc_values") OVER (PARTITION BY "year") + 0.01 * (
            MAX("treat_impute_gdp_pc_values") OVER (PARTITION BY "year") - MIN("treat_impute_gdp_pc_values") OVER (PARTITION BY "year")
          )
        END
      )
      ELSE "treat_impute_gdp_pc_winsorised_5"
    END AS "s_gdp_min_arg_2"
  FROM "s_gdp_max_arg"
), "s_gdp" /* spec line 39: let s_gdp = score(gdp_pc) */ AS (
  SELECT
    *,
    1 + (
      CASE
        WHEN ABS(SKEWNESS("treat_impute_gdp_pc_winsorised_5") OVER (PARTITION BY "year")) >= 2
        AND KURTOSIS("treat_impute_gdp_pc_winsorised_5") OVER (PARTITION BY "year") >= 3.5
        THEN LN(
          CASE
            WHEN "treat_impute_gdp_pc_values" - MIN("treat_impute_gdp_pc_values") OVER (PARTITION BY "year") + 0.01 * (
              MAX("treat_impute_gdp_pc_values") OVER (PARTITION BY "year") - MIN("treat_impute_gdp_pc_values") OVER (PARTITION BY "year")
            ) > 0
            THEN "treat_impute_gdp_pc_values" - MIN("treat_impute_gdp_pc_values") OVER (PARTITION BY "year") + 0.01 * (
              MAX("treat_impute_gdp_pc_values") OVER (PARTITION BY "year") - MIN("treat_impute_gdp_pc_values") OVER (PARTITION BY "year")
            )
          END
        )
        ELSE "treat_impute_gdp_pc_winsorised_5"
      END - MIN("s_gdp_min_arg") OVER (PARTITION BY "year")
    ) / NULLIF(
      MAX("s_gdp_max_arg") OVER (PARTITION BY "year") - MIN("s_gdp_min_arg_2") OVER (PARTITION BY "year"),
      0
    ) * (
      100 - 1
    ) AS "s_gdp"
  FROM "s_gdp_min_arg_2"
), "treat_impute_unemployment_values" /* spec line 35: treat(impute(unemployment)): values */ AS (
  SELECT
    *,
    COALESCE(
      COALESCE(
        "unemployment",
        LAST_VALUE("unemployment" IGNORE NULLS) OVER (
          PARTITION BY "region"
          ORDER BY "year"
          ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING
        ) + (
          FIRST_VALUE("unemployment" IGNORE NULLS) OVER (
            PARTITION BY "region"
            ORDER BY "year"
            ROWS BETWEEN 1 FOLLOWING AND UNBOUNDED FOLLOWING
          ) - LAST_VALUE("unemployment" IGNORE NULLS) OVER (
            PARTITION BY "region"
            ORDER BY "year"
            ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING
          )
        ) / (
          FIRST_VALUE(CASE WHEN NOT "unemployment" IS NULL THEN "year" END IGNORE NULLS) OVER (
            PARTITION BY "region"
            ORDER BY "year"
            ROWS BETWEEN 1 FOLLOWING AND UNBOUNDED FOLLOWING
          ) - LAST_VALUE(CASE WHEN NOT "unemployment" IS NULL THEN "year" END IGNORE NULLS) OVER (
            PARTITION BY "region"
            ORDER BY "year"
            ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING
          )
        ) * (
          "year" - LAST_VALUE(CASE WHEN NOT "unemployment" IS NULL THEN "year" END IGNORE NULLS) OVER (
            PARTITION BY "region"
            ORDER BY "year"
            ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING
          )
        )
      ),
      "median_unemployment_by_macro_region"
    ) AS "treat_impute_unemployment_values"
  FROM "s_gdp"
), "treat_impute_unemployment_winsorised_1_max_arg" /* spec line 35: argument of max(impute(unemployment) over region) in treat_impute_unemployment_winsorised_1 */ AS (
  SELECT
    *,
    CASE
      WHEN "treat_impute_unemployment_values" < MAX("treat_impute_unemployment_values") OVER (PARTITION BY "year")
      THEN "treat_impute_unemployment_values"
      ELSE NULL
    END AS "treat_impute_unemployment_winsorised_1_max_arg"
  FROM "treat_impute_unemployment_values"
), "treat_impute_unemployment_winsorised_1_min_arg" /* spec line 35: argument of min(impute(unemployment) over region) in treat_impute_unemployment_winsorised_1 */ AS (
  SELECT
    *,
    CASE
      WHEN "treat_impute_unemployment_values" > MIN("treat_impute_unemployment_values") OVER (PARTITION BY "year")
      THEN "treat_impute_unemployment_values"
      ELSE NULL
    END AS "treat_impute_unemployment_winsorised_1_min_arg"
  FROM "treat_impute_unemployment_winsorised_1_max_arg"
), "treat_impute_unemployment_winsorised_1" /* spec line 35: treat(impute(unemployment)): winsorised 1 */ AS (
  SELECT
    *,
    CASE
      WHEN ABS(SKEWNESS("treat_impute_unemployment_values") OVER (PARTITION BY "year")) >= 2
      AND KURTOSIS("treat_impute_unemployment_values") OVER (PARTITION BY "year") >= 3.5
      AND SKEWNESS("treat_impute_unemployment_values") OVER (PARTITION BY "year") > 0
      AND "treat_impute_unemployment_values" = MAX("treat_impute_unemployment_values") OVER (PARTITION BY "year")
      THEN MAX("treat_impute_unemployment_winsorised_1_max_arg") OVER (PARTITION BY "year")
      ELSE CASE
        WHEN ABS(SKEWNESS("treat_impute_unemployment_values") OVER (PARTITION BY "year")) >= 2
        AND KURTOSIS("treat_impute_unemployment_values") OVER (PARTITION BY "year") >= 3.5
        AND SKEWNESS("treat_impute_unemployment_values") OVER (PARTITION BY "year") < 0
        AND "treat_impute_unemployment_values" = MIN("treat_impute_unemployment_values") OVER (PARTITION BY "year")
        THEN MIN("treat_impute_unemployment_winsorised_1_min_arg") OVER (PARTITION BY "year")
        ELSE "treat_impute_unemployment_values"
      END
    END AS "treat_impute_unemployment_winsorised_1"
  FROM "treat_impute_unemployment_winsorised_1_min_arg"
), "treat_impute_unemployment_winsorised_2_max_arg" /* spec line 35: argument of max(impute(unemployment) over region) in treat_impute_unemployment_winsorised_2 */ AS (
  SELECT
    *,
    CASE
      WHEN "treat_impute_unemployment_winsorised_1" < MAX("treat_impute_unemployment_winsorised_1") OVER (PARTITION BY "year")
      THEN "treat_impute_unemployment_winsorised_1"
      ELSE NULL
    END AS "treat_impute_unemployment_winsorised_2_max_arg"
  FROM "treat_impute_unemployment_winsorised_1"
), "treat_impute_unemployment_winsorised_2_min_arg" /* spec line 35: argument of min(impute(unemployment) over region) in treat_impute_unemployment_winsorised_2 */ AS (
  SELECT
    *,
    CASE
      WHEN "treat_impute_unemployment_winsorised_1" > MIN("treat_impute_unemployment_winsorised_1") OVER (PARTITION BY "year")
      THEN "treat_impute_unemployment_winsorised_1"
      ELSE NULL
    END AS "treat_impute_unemployment_winsorised_2_min_arg"
  FROM "treat_impute_unemployment_winsorised_2_max_arg"
), "treat_impute_unemployment_winsorised_2" /* spec line 35: treat(impute(unemployment)): winsorised 2 */ AS (
  SELECT
    *,
    CASE
      WHEN ABS(SKEWNESS("treat_impute_unemployment_winsorised_1") OVER (PARTITION BY "year")) >= 2
      AND KURTOSIS("treat_impute_unemployment_winsorised_1") OVER (PARTITION BY "year") >= 3.5
      AND SKEWNESS("treat_impute_unemployment_winsorised_1") OVER (PARTITION BY "year") > 0
      AND "treat_impute_unemployment_winsorised_1" = MAX("treat_impute_unemployment_winsorised_1") OVER (PARTITION BY "year")
      THEN MAX("treat_impute_unemployment_winsorised_2_max_arg") OVER (PARTITION BY "year")
      ELSE CASE
        WHEN ABS(SKEWNESS("treat_impute_unemployment_winsorised_1") OVER (PARTITION BY "year")) >= 2
        AND KURTOSIS("treat_impute_unemployment_winsorised_1") OVER (PARTITION BY "year") >= 3.5
        AND SKEWNESS("treat_impute_unemployment_winsorised_1") OVER (PARTITION BY "year") < 0
        AND "treat_impute_unemployment_winsorised_1" = MIN("treat_impute_unemployment_winsorised_1") OVER (PARTITION BY "year")
        THEN MIN("treat_impute_unemployment_winsorised_2_min_arg") OVER (PARTITION BY "year")
        ELSE "treat_impute_unemployment_winsorised_1"
      END
    END AS "treat_impute_unemployment_winsorised_2"
  FROM "treat_impute_unemployment_winsorised_2_min_arg"
), "treat_impute_unemployment_winsorised_3_max_arg" /* spec line 35: argument of max(impute(unemployment) over region) in treat_impute_unemployment_winsorised_3 */ AS (
  SELECT
    *,
    CASE
      WHEN "treat_impute_unemployment_winsorised_2" < MAX("treat_impute_unemployment_winsorised_2") OVER (PARTITION BY "year")
      THEN "treat_impute_unemployment_winsorised_2"
      ELSE NULL
    END AS "treat_impute_unemployment_winsorised_3_max_arg"
  FROM "treat_impute_unemployment_winsorised_2"
), "treat_impute_unemployment_winsorised_3_min_arg" /* spec line 35: argument of min(impute(unemployment) over region) in treat_impute_unemployment_winsorised_3 */ AS (
  SELECT
    *,
    CASE
      WHEN "treat_impute_unemployment_winsorised_2" > MIN("treat_impute_unemployment_winsorised_2") OVER (PARTITION BY "year")
      THEN "treat_impute_unemployment_winsorised_2"
      ELSE NULL
    END AS "treat_impute_unemployment_winsorised_3_min_arg"
  FROM "treat_impute_unemployment_winsorised_3_max_arg"
), "treat_impute_unemployment_winsorised_3" /* spec line 35: treat(impute(unemployment)): winsorised 3 */ AS (
  SELECT
    *,
    CASE
      WHEN ABS(SKEWNESS("treat_impute_unemployment_winsorised_2") OVER (PARTITION BY "year")) >= 2
      AND KURTOSIS("treat_impute_unemployment_winsorised_2") OVER (PARTITION BY "year") >= 3.5
      AND SKEWNESS("treat_impute_unemployment_winsorised_2") OVER (PARTITION BY "year") > 0
      AND "treat_impute_unemployment_winsorised_2" = MAX("treat_impute_unemployment_winsorised_2") OVER (PARTITION BY "year")
      THEN MAX("treat_impute_unemployment_winsorised_3_max_arg") OVER (PARTITION BY "year")
      ELSE CASE
        WHEN ABS(SKEWNESS("treat_impute_unemployment_winsorised_2") OVER (PARTITION BY "year")) >= 2
        AND KURTOSIS("treat_impute_unemployment_winsorised_2") OVER (PARTITION BY "year") >= 3.5
        AND SKEWNESS("treat_impute_unemployment_winsorised_2") OVER (PARTITION BY "year") < 0
        AND "treat_impute_unemployment_winsorised_2" = MIN("treat_impute_unemployment_winsorised_2") OVER (PARTITION BY "year")
        THEN MIN("treat_impute_unemployment_winsorised_3_min_arg") OVER (PARTITION BY "year")
        ELSE "treat_impute_unemployment_winsorised_2"
      END
    END AS "treat_impute_unemployment_winsorised_3"
  FROM "treat_impute_unemployment_winsorised_3_min_arg"
), "treat_impute_unemployment_winsorised_4_max_arg" /* spec line 35: argument of max(impute(unemployment) over region) in treat_impute_unemployment_winsorised_4 */ AS (
  SELECT
    *,
    CASE
      WHEN "treat_impute_unemployment_winsorised_3" < MAX("treat_impute_unemployment_winsorised_3") OVER (PARTITION BY "year")
      THEN "treat_impute_unemployment_winsorised_3"
      ELSE NULL
    END AS "treat_impute_unemployment_winsorised_4_max_arg"
  FROM "treat_impute_unemployment_winsorised_3"
), "treat_impute_unemployment_winsorised_4_min_arg" /* spec line 35: argument of min(impute(unemployment) over region) in treat_impute_unemployment_winsorised_4 */ AS (
  SELECT
    *,
    CASE
      WHEN "treat_impute_unemployment_winsorised_3" > MIN("treat_impute_unemployment_winsorised_3") OVER (PARTITION BY "year")
      THEN "treat_impute_unemployment_winsorised_3"
      ELSE NULL
    END AS "treat_impute_unemployment_winsorised_4_min_arg"
  FROM "treat_impute_unemployment_winsorised_4_max_arg"
), "treat_impute_unemployment_winsorised_4" /* spec line 35: treat(impute(unemployment)): winsorised 4 */ AS (
  SELECT
    *,
    CASE
      WHEN ABS(SKEWNESS("treat_impute_unemployment_winsorised_3") OVER (PARTITION BY "year")) >= 2
      AND KURTOSIS("treat_impute_unemployment_winsorised_3") OVER (PARTITION BY "year") >= 3.5
      AND SKEWNESS("treat_impute_unemployment_winsorised_3") OVER (PARTITION BY "year") > 0
      AND "treat_impute_unemployment_winsorised_3" = MAX("treat_impute_unemployment_winsorised_3") OVER (PARTITION BY "year")
      THEN MAX("treat_impute_unemployment_winsorised_4_max_arg") OVER (PARTITION BY "year")
      ELSE CASE
        WHEN ABS(SKEWNESS("treat_impute_unemployment_winsorised_3") OVER (PARTITION BY "year")) >= 2
        AND KURTOSIS("treat_impute_unemployment_winsorised_3") OVER (PARTITION BY "year") >= 3.5
        AND SKEWNESS("treat_impute_unemployment_winsorised_3") OVER (PARTITION BY "year") < 0
        AND "treat_impute_unemployment_winsorised_3" = MIN("treat_impute_unemployment_winsorised_3") OVER (PARTITION BY "year")
        THEN MIN("treat_impute_unemployment_winsorised_4_min_arg") OVER (PARTITION BY "year")
        ELSE "treat_impute_unemployment_winsorised_3"
      END
    END AS "treat_impute_unemployment_winsorised_4"
  FROM "treat_impute_unemployment_winsorised_4_min_arg"
), "treat_impute_unemployment_winsorised_5_max_arg" /* spec line 35: argument of max(impute(unemployment) over region) in treat_impute_unemployment_winsorised_5 */ AS (
  SELECT
    *,
    CASE
      WHEN "treat_impute_unemployment_winsorised_4" < MAX("treat_impute_unemployment_winsorised_4") OVER (PARTITION BY "year")
      THEN "treat_impute_unemployment_winsorised_4"
      ELSE NULL
    END AS "treat_impute_unemployment_winsorised_5_max_arg"
  FROM "treat_impute_unemployment_winsorised_4"
), "treat_impute_unemployment_winsorised_5_min_arg" /* spec line 35: argument of min(impute(unemployment) over region) in treat_impute_unemployment_winsorised_5 */ AS (
  SELECT
    *,
    CASE
      WHEN "treat_impute_unemployment_winsorised_4" > MIN("treat_impute_unemployment_winsorised_4") OVER (PARTITION BY "year")
      THEN "treat_impute_unemployment_winsorised_4"
      ELSE NULL
    END AS "treat_impute_unemployment_winsorised_5_min_arg"
  FROM "treat_impute_unemployment_winsorised_5_max_arg"
), "treat_impute_unemployment_winsorised_5" /* spec line 35: treat(impute(unemployment)): winsorised 5 */ AS (
  SELECT
    *,
    CASE
      WHEN ABS(SKEWNESS("treat_impute_unemployment_winsorised_4") OVER (PARTITION BY "year")) >= 2
      AND KURTOSIS("treat_impute_unemployment_winsorised_4") OVER (PARTITION BY "year") >= 3.5
      AND SKEWNESS("treat_impute_unemployment_winsorised_4") OVER (PARTITION BY "year") > 0
      AND "treat_impute_unemployment_winsorised_4" = MAX("treat_impute_unemployment_winsorised_4") OVER (PARTITION BY "year")
      THEN MAX("treat_impute_unemployment_winsorised_5_max_arg") OVER (PARTITION BY "year")
      ELSE CASE
        WHEN ABS(SKEWNESS("treat_impute_unemployment_winsorised_4") OVER (PARTITION BY "year")) >= 2
        AND KURTOSIS("treat_impute_unemployment_winsorised_4") OVER (PARTITION BY "year") >= 3.5
        AND SKEWNESS("treat_impute_unemployment_winsorised_4") OVER (PARTITION BY "year") < 0
        AND "treat_impute_unemployment_winsorised_4" = MIN("treat_impute_unemployment_winsorised_4") OVER (PARTITION BY "year")
        THEN MIN("treat_impute_unemployment_winsorised_5_min_arg") OVER (PARTITION BY "year")
        ELSE "treat_impute_unemployment_winsorised_4"
      END
    END AS "treat_impute_unemployment_winsorised_5"
  FROM "treat_impute_unemployment_winsorised_5_min_arg"
), "s_unemployment_min_arg" /* spec line 40: argument of min(treat(impute(unemployment)) over region) in s_unemployment */ AS (
  SELECT
    *,
    -CASE
      WHEN ABS(SKEWNESS("treat_impute_unemployment_winsorised_5") OVER (PARTITION BY "year")) >= 2
      AND KURTOSIS("treat_impute_unemployment_winsorised_5") OVER (PARTITION BY "year") >= 3.5
      THEN LN(
        CASE
          WHEN "treat_impute_unemployment_values" - MIN("treat_impute_unemployment_values") OVER (PARTITION BY "year") + 0.01 * (
            MAX("treat_impute_unemployment_values") OVER (PARTITION BY "year") - MIN("treat_impute_unemployment_values") OVER (PARTITION BY "year")
          ) > 0
          THEN "treat_impute_unemployment_values" - MIN("treat_impute_unemployment_values") OVER (PARTITION BY "year") + 0.01 * (
            MAX("treat_impute_unemployment_values") OVER (PARTITION BY "year") - MIN("treat_impute_unemployment_values") OVER (PARTITION BY "year")
          )
        END
      )
      ELSE "treat_impute_unemployment_winsorised_5"
    END AS "s_unemployment_min_arg"
  FROM "treat_impute_unemployment_winsorised_5"
), "s_unemployment_max_arg" /* spec line 40: argument of max(treat(impute(unemployment)) over region) in s_unemployment */ AS (
  SELECT
    *,
    -CASE
      WHEN ABS(SKEWNESS("treat_impute_unemployment_winsorised_5") OVER (PARTITION BY "year")) >= 2
      AND KURTOSIS("treat_impute_unemployment_winsorised_5") OVER (PARTITION BY "year") >= 3.5
      THEN LN(
        CASE
          WHEN "treat_impute_unemployment_values" - MIN("treat_impute_unemployment_values") OVER (PARTITION BY "year") + 0.01 * (
            MAX("treat_impute_unemployment_values") OVER (PARTITION BY "year") - MIN("treat_impute_unemployment_values") OVER (PARTITION BY "year")
          ) > 0
          THEN "treat_impute_unemployment_values" - MIN("treat_impute_unemployment_values") OVER (PARTITION BY "year") + 0.01 * (
            MAX("treat_impute_unemployment_values") OVER (PARTITION BY "year") - MIN("treat_impute_unemployment_values") OVER (PARTITION BY "year")
          )
        END
      )
      ELSE "treat_impute_unemployment_winsorised_5"
    END AS "s_unemployment_max_arg"
  FROM "s_unemployment_min_arg"
), "s_unemployment_min_arg_2" /* spec line 40: argument of min(treat(impute(unemployment)) over region) in s_unemployment */ AS (
  SELECT
    *,
    -CASE
      WHEN ABS(SKEWNESS("treat_impute_unemployment_winsorised_5") OVER (PARTITION BY "year")) >= 2
      AND KURTOSIS("treat_impute_unemployment_winsorised_5") OVER (PARTITION BY "year") >= 3.5
      THEN LN(
        CASE
          WHEN "treat_impute_unemployment_values" - MIN("treat_impute_unemployment_values") OVER (PARTITION BY "year") + 0.01 * (
            MAX("treat_impute_unemployment_values") OVER (PARTITION BY "year") - MIN("treat_impute_unemployment_values") OVER (PARTITION BY "year")
          ) > 0
          THEN "treat_impute_unemployment_values" - MIN("treat_impute_unemployment_values") OVER (PARTITION BY "year") + 0.01 * (
            MAX("treat_impute_unemployment_values") OVER (PARTITION BY "year") - MIN("treat_impute_unemployment_values") OVER (PARTITION BY "year")
          )
        END
      )
      ELSE "treat_impute_unemployment_winsorised_5"
    END AS "s_unemployment_min_arg_2"
  FROM "s_unemployment_max_arg"
), "s_unemployment" /* spec line 40: let s_unemployment = score_worse(unemployment) */ AS (
  SELECT
    *,
    1 + (
      -CASE
        WHEN ABS(SKEWNESS("treat_impute_unemployment_winsorised_5") OVER (PARTITION BY "year")) >= 2
        AND KURTOSIS("treat_impute_unemployment_winsorised_5") OVER (PARTITION BY "year") >= 3.5
        THEN LN(
          CASE
            WHEN "treat_impute_unemployment_values" - MIN("treat_impute_unemployment_values") OVER (PARTITION BY "year") + 0.01 * (
              MAX("treat_impute_unemployment_values") OVER (PARTITION BY "year") - MIN("treat_impute_unemployment_values") OVER (PARTITION BY "year")
            ) > 0
            THEN "treat_impute_unemployment_values" - MIN("treat_impute_unemployment_values") OVER (PARTITION BY "year") + 0.01 * (
              MAX("treat_impute_unemployment_values") OVER (PARTITION BY "year") - MIN("treat_impute_unemployment_values") OVER (PARTITION BY "year")
            )
          END
        )
        ELSE "treat_impute_unemployment_winsorised_5"
      END - MIN("s_unemployment_min_arg") OVER (PARTITION BY "year")
    ) / NULLIF(
      MAX("s_unemployment_max_arg") OVER (PARTITION BY "year") - MIN("s_unemployment_min_arg_2") OVER (PARTITION BY "year"),
      0
    ) * (
      100 - 1
    ) AS "s_unemployment"
  FROM "s_unemployment_min_arg_2"
), "economy" /* spec line 47: let economy = mean(s_gdp, s_unemployment present 1) */ AS (
  SELECT
    *,
    CASE
      WHEN COALESCE("s_gdp" * 0 + 1, 0) + COALESCE("s_unemployment" * 0 + 1, 0) >= 1
      THEN (
        CASE WHEN COALESCE("s_gdp" * 0 + 1, 0) = 1 THEN "s_gdp" ELSE 0 END + CASE WHEN COALESCE("s_unemployment" * 0 + 1, 0) = 1 THEN "s_unemployment" ELSE 0 END
      ) / NULLIF(COALESCE("s_gdp" * 0 + 1, 0) + COALESCE("s_unemployment" * 0 + 1, 0), 0)
      ELSE NULL
    END AS "economy"
  FROM "s_unemployment"
), "patents_pc" /* spec line 24: let patents_pc = patents / population * 100000 "Patent applications per 100,000 residents" */ AS (
  SELECT
    *,
    "patents" / NULLIF("population", 0) * 100000 AS "patents_pc"
  FROM "economy"
), "treat_impute_patents_pc_values" /* spec line 34: treat(impute(patents_pc)): values */ AS (
  SELECT
    *,
    COALESCE(
      COALESCE(
        "patents_pc",
        LAST_VALUE("patents_pc" IGNORE NULLS) OVER (
          PARTITION BY "region"
          ORDER BY "year"
          ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING
        ) + (
          FIRST_VALUE("patents_pc" IGNORE NULLS) OVER (
            PARTITION BY "region"
            ORDER BY "year"
            ROWS BETWEEN 1 FOLLOWING AND UNBOUNDED FOLLOWING
          ) - LAST_VALUE("patents_pc" IGNORE NULLS) OVER (
            PARTITION BY "region"
            ORDER BY "year"
            ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING
          )
        ) / (
          FIRST_VALUE(CASE WHEN NOT "patents_pc" IS NULL THEN "year" END IGNORE NULLS) OVER (
            PARTITION BY "region"
            ORDER BY "year"
            ROWS BETWEEN 1 FOLLOWING AND UNBOUNDED FOLLOWING
          ) - LAST_VALUE(CASE WHEN NOT "patents_pc" IS NULL THEN "year" END IGNORE NULLS) OVER (
            PARTITION BY "region"
            ORDER BY "year"
            ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING
          )
        ) * (
          "year" - LAST_VALUE(CASE WHEN NOT "patents_pc" IS NULL THEN "year" END IGNORE NULLS) OVER (
            PARTITION BY "region"
            ORDER BY "year"
            ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING
          )
        )
      ),
      MEDIAN("patents_pc") OVER (PARTITION BY "macro_region", "year")
    ) AS "treat_impute_patents_pc_values"
  FROM "patents_pc"
), "treat_impute_patents_pc_winsorised_1_max_arg" /* spec line 34: argument of max(impute(patents_pc) over region) in treat_impute_patents_pc_winsorised_1 */ AS (
  SELECT
    *,
    CASE
      WHEN "treat_impute_patents_pc_values" < MAX("treat_impute_patents_pc_values") OVER (PARTITION BY "year")
      THEN "treat_impute_patents_pc_values"
      ELSE NULL
    END AS "treat_impute_patents_pc_winsorised_1_max_arg"
  FROM "treat_impute_patents_pc_values"
), "treat_impute_patents_pc_winsorised_1_min_arg" /* spec line 34: argument of min(impute(patents_pc) over region) in treat_impute_patents_pc_winsorised_1 */ AS (
  SELECT
    *,
    CASE
      WHEN "treat_impute_patents_pc_values" > MIN("treat_impute_patents_pc_values") OVER (PARTITION BY "year")
      THEN "treat_impute_patents_pc_values"
      ELSE NULL
    END AS "treat_impute_patents_pc_winsorised_1_min_arg"
  FROM "treat_impute_patents_pc_winsorised_1_max_arg"
), "treat_impute_patents_pc_winsorised_1" /* spec line 34: treat(impute(patents_pc)): winsorised 1 */ AS (
  SELECT
    *,
    CASE
      WHEN ABS(SKEWNESS("treat_impute_patents_pc_values") OVER (PARTITION BY "year")) >= 2
      AND KURTOSIS("treat_impute_patents_pc_values") OVER (PARTITION BY "year") >= 3.5
      AND SKEWNESS("treat_impute_patents_pc_values") OVER (PARTITION BY "year") > 0
      AND "treat_impute_patents_pc_values" = MAX("treat_impute_patents_pc_values") OVER (PARTITION BY "year")
      THEN MAX("treat_impute_patents_pc_winsorised_1_max_arg") OVER (PARTITION BY "year")
      ELSE CASE
        WHEN ABS(SKEWNESS("treat_impute_patents_pc_values") OVER (PARTITION BY "year")) >= 2
        AND KURTOSIS("treat_impute_patents_pc_values") OVER (PARTITION BY "year") >= 3.5
        AND SKEWNESS("treat_impute_patents_pc_values") OVER (PARTITION BY "year") < 0
        AND "treat_impute_patents_pc_values" = MIN("treat_impute_patents_pc_values") OVER (PARTITION BY "year")
        THEN MIN("treat_impute_patents_pc_winsorised_1_min_arg") OVER (PARTITION BY "year")
        ELSE "treat_impute_patents_pc_values"
      END
    END AS "treat_impute_patents_pc_winsorised_1"
  FROM "treat_impute_patents_pc_winsorised_1_min_arg"
), "treat_impute_patents_pc_winsorised_2_max_arg" /* spec line 34: argument of max(impute(patents_pc) over region) in treat_impute_patents_pc_winsorised_2 */ AS (
  SELECT
    *,
    CASE
      WHEN "treat_impute_patents_pc_winsorised_1" < MAX("treat_impute_patents_pc_winsorised_1") OVER (PARTITION BY "year")
      THEN "treat_impute_patents_pc_winsorised_1"
      ELSE NULL
    END AS "treat_impute_patents_pc_winsorised_2_max_arg"
  FROM "treat_impute_patents_pc_winsorised_1"
), "treat_impute_patents_pc_winsorised_2_min_arg" /* spec line 34: argument of min(impute(patents_pc) over region) in treat_impute_patents_pc_winsorised_2 */ AS (
  SELECT
    *,
    CASE
      WHEN "treat_impute_patents_pc_winsorised_1" > MIN("treat_impute_patents_pc_winsorised_1") OVER (PARTITION BY "year")
      THEN "treat_impute_patents_pc_winsorised_1"
      ELSE NULL
    END AS "treat_impute_patents_pc_winsorised_2_min_arg"
  FROM "treat_impute_patents_pc_winsorised_2_max_arg"
), "treat_impute_patents_pc_winsorised_2" /* spec line 34: treat(impute(patents_pc)): winsorised 2 */ AS (
  SELECT
    *,
    CASE
      WHEN ABS(SKEWNESS("treat_impute_patents_pc_winsorised_1") OVER (PARTITION BY "year")) >= 2
      AND KURTOSIS("treat_impute_patents_pc_winsorised_1") OVER (PARTITION BY "year") >= 3.5
      AND SKEWNESS("treat_impute_patents_pc_winsorised_1") OVER (PARTITION BY "year") > 0
      AND "treat_impute_patents_pc_winsorised_1" = MAX("treat_impute_patents_pc_winsorised_1") OVER (PARTITION BY "year")
      THEN MAX("treat_impute_patents_pc_winsorised_2_max_arg") OVER (PARTITION BY "year")
      ELSE CASE
        WHEN ABS(SKEWNESS("treat_impute_patents_pc_winsorised_1") OVER (PARTITION BY "year")) >= 2
        AND KURTOSIS("treat_impute_patents_pc_winsorised_1") OVER (PARTITION BY "year") >= 3.5
        AND SKEWNESS("treat_impute_patents_pc_winsorised_1") OVER (PARTITION BY "year") < 0
        AND "treat_impute_patents_pc_winsorised_1" = MIN("treat_impute_patents_pc_winsorised_1") OVER (PARTITION BY "year")
        THEN MIN("treat_impute_patents_pc_winsorised_2_min_arg") OVER (PARTITION BY "year")
        ELSE "treat_impute_patents_pc_winsorised_1"
      END
    END AS "treat_impute_patents_pc_winsorised_2"
  FROM "treat_impute_patents_pc_winsorised_2_min_arg"
), "treat_impute_patents_pc_winsorised_3_max_arg" /* spec line 34: argument of max(impute(patents_pc) over region) in treat_impute_patents_pc_winsorised_3 */ AS (
  SELECT
    *,
    CASE
      WHEN "treat_impute_patents_pc_winsorised_2" < MAX("treat_impute_patents_pc_winsorised_2") OVER (PARTITION BY "year")
      THEN "treat_impute_patents_pc_winsorised_2"
      ELSE NULL
    END AS "treat_impute_patents_pc_winsorised_3_max_arg"
  FROM "treat_impute_patents_pc_winsorised_2"
), "treat_impute_patents_pc_winsorised_3_min_arg" /* spec line 34: argument of min(impute(patents_pc) over region) in treat_impute_patents_pc_winsorised_3 */ AS (
  SELECT
    *,
    CASE
      WHEN "treat_impute_patents_pc_winsorised_2" > MIN("treat_impute_patents_pc_winsorised_2") OVER (PARTITION BY "year")
      THEN "treat_impute_patents_pc_winsorised_2"
      ELSE NULL
    END AS "treat_impute_patents_pc_winsorised_3_min_arg"
  FROM "treat_impute_patents_pc_winsorised_3_max_arg"
), "treat_impute_patents_pc_winsorised_3" /* spec line 34: treat(impute(patents_pc)): winsorised 3 */ AS (
  SELECT
    *,
    CASE
      WHEN ABS(SKEWNESS("treat_impute_patents_pc_winsorised_2") OVER (PARTITION BY "year")) >= 2
      AND KURTOSIS("treat_impute_patents_pc_winsorised_2") OVER (PARTITION BY "year") >= 3.5
      AND SKEWNESS("treat_impute_patents_pc_winsorised_2") OVER (PARTITION BY "year") > 0
      AND "treat_impute_patents_pc_winsorised_2" = MAX("treat_impute_patents_pc_winsorised_2") OVER (PARTITION BY "year")
      THEN MAX("treat_impute_patents_pc_winsorised_3_max_arg") OVER (PARTITION BY "year")
      ELSE CASE
        WHEN ABS(SKEWNESS("treat_impute_patents_pc_winsorised_2") OVER (PARTITION BY "year")) >= 2
        AND KURTOSIS("treat_impute_patents_pc_winsorised_2") OVER (PARTITION BY "year") >= 3.5
        AND SKEWNESS("treat_impute_patents_pc_winsorised_2") OVER (PARTITION BY "year") < 0
        AND "treat_impute_patents_pc_winsorised_2" = MIN("treat_impute_patents_pc_winsorised_2") OVER (PARTITION BY "year")
        THEN MIN("treat_impute_patents_pc_winsorised_3_min_arg") OVER (PARTITION BY "year")
        ELSE "treat_impute_patents_pc_winsorised_2"
      END
    END AS "treat_impute_patents_pc_winsorised_3"
  FROM "treat_impute_patents_pc_winsorised_3_min_arg"
), "treat_impute_patents_pc_winsorised_4_max_arg" /* spec line 34: argument of max(impute(patents_pc) over region) in treat_impute_patents_pc_winsorised_4 */ AS (
  SELECT
    *,
    CASE
      WHEN "treat_impute_patents_pc_winsorised_3" < MAX("treat_impute_patents_pc_winsorised_3") OVER (PARTITION BY "year")
      THEN "treat_impute_patents_pc_winsorised_3"
      ELSE NULL
    END AS "treat_impute_patents_pc_winsorised_4_max_arg"
  FROM "treat_impute_patents_pc_winsorised_3"
), "treat_impute_patents_pc_winsorised_4_min_arg" /* spec line 34: argument of min(impute(patents_pc) over region) in treat_impute_patents_pc_winsorised_4 */ AS (
  SELECT
    *,
    CASE
      WHEN "treat_impute_patents_pc_winsorised_3" > MIN("treat_impute_patents_pc_winsorised_3") OVER (PARTITION BY "year")
      THEN "treat_impute_patents_pc_winsorised_3"
      ELSE NULL
    END AS "treat_impute_patents_pc_winsorised_4_min_arg"
  FROM "treat_impute_patents_pc_winsorised_4_max_arg"
), "treat_impute_patents_pc_winsorised_4" /* spec line 34: treat(impute(patents_pc)): winsorised 4 */ AS (
  SELECT
    *,
    CASE
      WHEN ABS(SKEWNESS("treat_impute_patents_pc_winsorised_3") OVER (PARTITION BY "year")) >= 2
      AND KURTOSIS("treat_impute_patents_pc_winsorised_3") OVER (PARTITION BY "year") >= 3.5
      AND SKEWNESS("treat_impute_patents_pc_winsorised_3") OVER (PARTITION BY "year") > 0
      AND "treat_impute_patents_pc_winsorised_3" = MAX("treat_impute_patents_pc_winsorised_3") OVER (PARTITION BY "year")
      THEN MAX("treat_impute_patents_pc_winsorised_4_max_arg") OVER (PARTITION BY "year")
      ELSE CASE
        WHEN ABS(SKEWNESS("treat_impute_patents_pc_winsorised_3") OVER (PARTITION BY "year")) >= 2
        AND KURTOSIS("treat_impute_patents_pc_winsorised_3") OVER (PARTITION BY "year") >= 3.5
        AND SKEWNESS("treat_impute_patents_pc_winsorised_3") OVER (PARTITION BY "year") < 0
        AND "treat_impute_patents_pc_winsorised_3" = MIN("treat_impute_patents_pc_winsorised_3") OVER (PARTITION BY "year")
        THEN MIN("treat_impute_patents_pc_winsorised_4_min_arg") OVER (PARTITION BY "year")
        ELSE "treat_impute_patents_pc_winsorised_3"
      END
    END AS "treat_impute_patents_pc_winsorised_4"
  FROM "treat_impute_patents_pc_winsorised_4_min_arg"
), "treat_impute_patents_pc_winsorised_5_max_arg" /* spec line 34: argument of max(impute(patents_pc) over region) in treat_impute_patents_pc_winsorised_5 */ AS (
  SELECT
    *,
    CASE
      WHEN "treat_impute_patents_pc_winsorised_4" < MAX("treat_impute_patents_pc_winsorised_4") OVER (PARTITION BY "year")
      THEN "treat_impute_patents_pc_winsorised_4"
      ELSE NULL
    END AS "treat_impute_patents_pc_winsorised_5_max_arg"
  FROM "treat_impute_patents_pc_winsorised_4"
), "treat_impute_patents_pc_winsorised_5_min_arg" /* spec line 34: argument of min(impute(patents_pc) over region) in treat_impute_patents_pc_winsorised_5 */ AS (
  SELECT
    *,
    CASE
      WHEN "treat_impute_patents_pc_winsorised_4" > MIN("treat_impute_patents_pc_winsorised_4") OVER (PARTITION BY "year")
      THEN "treat_impute_patents_pc_winsorised_4"
      ELSE NULL
    END AS "treat_impute_patents_pc_winsorised_5_min_arg"
  FROM "treat_impute_patents_pc_winsorised_5_max_arg"
), "treat_impute_patents_pc_winsorised_5" /* spec line 34: treat(impute(patents_pc)): winsorised 5 */ AS (
  SELECT
    *,
    CASE
      WHEN ABS(SKEWNESS("treat_impute_patents_pc_winsorised_4") OVER (PARTITION BY "year")) >= 2
      AND KURTOSIS("treat_impute_patents_pc_winsorised_4") OVER (PARTITION BY "year") >= 3.5
      AND SKEWNESS("treat_impute_patents_pc_winsorised_4") OVER (PARTITION BY "year") > 0
      AND "treat_impute_patents_pc_winsorised_4" = MAX("treat_impute_patents_pc_winsorised_4") OVER (PARTITION BY "year")
      THEN MAX("treat_impute_patents_pc_winsorised_5_max_arg") OVER (PARTITION BY "year")
      ELSE CASE
        WHEN ABS(SKEWNESS("treat_impute_patents_pc_winsorised_4") OVER (PARTITION BY "year")) >= 2
        AND KURTOSIS("treat_impute_patents_pc_winsorised_4") OVER (PARTITION BY "year") >= 3.5
        AND SKEWNESS("treat_impute_patents_pc_winsorised_4") OVER (PARTITION BY "year") < 0
        AND "treat_impute_patents_pc_winsorised_4" = MIN("treat_impute_patents_pc_winsorised_4") OVER (PARTITION BY "year")
        THEN MIN("treat_impute_patents_pc_winsorised_5_min_arg") OVER (PARTITION BY "year")
        ELSE "treat_impute_patents_pc_winsorised_4"
      END
    END AS "treat_impute_patents_pc_winsorised_5"
  FROM "treat_impute_patents_pc_winsorised_5_min_arg"
), "s_patents_min_arg" /* spec line 37: argument of min(treat(impute(patents_pc)) over region) in s_patents */ AS (
  SELECT
    *,
    CASE
      WHEN ABS(SKEWNESS("treat_impute_patents_pc_winsorised_5") OVER (PARTITION BY "year")) >= 2
      AND KURTOSIS("treat_impute_patents_pc_winsorised_5") OVER (PARTITION BY "year") >= 3.5
      THEN LN(
        CASE
          WHEN "treat_impute_patents_pc_values" - MIN("treat_impute_patents_pc_values") OVER (PARTITION BY "year") + 0.01 * (
            MAX("treat_impute_patents_pc_values") OVER (PARTITION BY "year") - MIN("treat_impute_patents_pc_values") OVER (PARTITION BY "year")
          ) > 0
          THEN "treat_impute_patents_pc_values" - MIN("treat_impute_patents_pc_values") OVER (PARTITION BY "year") + 0.01 * (
            MAX("treat_impute_patents_pc_values") OVER (PARTITION BY "year") - MIN("treat_impute_patents_pc_values") OVER (PARTITION BY "year")
          )
        END
      )
      ELSE "treat_impute_patents_pc_winsorised_5"
    END AS "s_patents_min_arg"
  FROM "treat_impute_patents_pc_winsorised_5"
), "s_patents_max_arg" /* spec line 37: argument of max(treat(impute(patents_pc)) over region) in s_patents */ AS (
  SELECT
    *,
    CASE
      WHEN ABS(SKEWNESS("treat_impute_patents_pc_winsorised_5") OVER (PARTITION BY "year")) >= 2
      AND KURTOSIS("treat_impute_patents_pc_winsorised_5") OVER (PARTITION BY "year") >= 3.5
      THEN LN(
        CASE
          WHEN "treat_impute_patents_pc_values" - MIN("treat_impute_patents_pc_values") OVER (PARTITION BY "year") + 0.01 * (
            MAX("treat_impute_patents_pc_values") OVER (PARTITION BY "year") - MIN("treat_impute_patents_pc_values") OVER (PARTITION BY "year")
          ) > 0
          THEN "treat_impute_patents_pc_values" - MIN("treat_impute_patents_pc_values") OVER (PARTITION BY "year") + 0.01 * (
            MAX("treat_impute_patents_pc_values") OVER (PARTITION BY "year") - MIN("treat_impute_patents_pc_values") OVER (PARTITION BY "year")
          )
        END
      )
      ELSE "treat_impute_patents_pc_winsorised_5"
    END AS "s_patents_max_arg"
  FROM "s_patents_min_arg"
), "s_patents_min_arg_2" /* spec line 37: argument of min(treat(impute(patents_pc)) over region) in s_patents */ AS (
  SELECT
    *,
    CASE
      WHEN ABS(SKEWNESS("treat_impute_patents_pc_winsorised_5") OVER (PARTITION BY "year")) >= 2
      AND KURTOSIS("treat_impute_patents_pc_winsorised_5") OVER (PARTITION BY "year") >= 3.5
      THEN LN(
        CASE
          WHEN "treat_impute_patents_pc_values" - MIN("treat_impute_patents_pc_values") OVER (PARTITION BY "year") + 0.01 * (
            MAX("treat_impute_patents_pc_values") OVER (PARTITION BY "year") - MIN("treat_impute_patents_pc_values") OVER (PARTITION BY "year")
          ) > 0
          THEN "treat_impute_patents_pc_values" - MIN("treat_impute_patents_pc_values") OVER (PARTITION BY "year") + 0.01 * (
            MAX("treat_impute_patents_pc_values") OVER (PARTITION BY "year") - MIN("treat_impute_patents_pc_values") OVER (PARTITION BY "year")
          )
        END
      )
      ELSE "treat_impute_patents_pc_winsorised_5"
    END AS "s_patents_min_arg_2"
  FROM "s_patents_max_arg"
), "s_patents" /* spec line 37: let s_patents = score(patents_pc) */ AS (
  SELECT
    *,
    1 + (
      CASE
        WHEN ABS(SKEWNESS("treat_impute_patents_pc_winsorised_5") OVER (PARTITION BY "year")) >= 2
        AND KURTOSIS("treat_impute_patents_pc_winsorised_5") OVER (PARTITION BY "year") >= 3.5
        THEN LN(
          CASE
            WHEN "treat_impute_patents_pc_values" - MIN("treat_impute_patents_pc_values") OVER (PARTITION BY "year") + 0.01 * (
              MAX("treat_impute_patents_pc_values") OVER (PARTITION BY "year") - MIN("treat_impute_patents_pc_values") OVER (PARTITION BY "year")
            ) > 0
            THEN "treat_impute_patents_pc_values" - MIN("treat_impute_patents_pc_values") OVER (PARTITION BY "year") + 0.01 * (
              MAX("treat_impute_patents_pc_values") OVER (PARTITION BY "year") - MIN("treat_impute_patents_pc_values") OVER (PARTITION BY "year")
            )
          END
        )
        ELSE "treat_impute_patents_pc_winsorised_5"
      END - MIN("s_patents_min_arg") OVER (PARTITION BY "year")
    ) / NULLIF(
      MAX("s_patents_max_arg") OVER (PARTITION BY "year") - MIN("s_patents_min_arg_2") OVER (PARTITION BY "year"),
      0
    ) * (
      100 - 1
    ) AS "s_patents"
  FROM "s_patents_min_arg_2"
), "rd_intensity" /* spec line 25: let rd_intensity = rd_spend / gdp * 100 "R&D spending, % of GDP" */ AS (
  SELECT
    *,
    "rd_spend" / NULLIF("gdp", 0) * 100 AS "rd_intensity"
  FROM "s_patents"
), "treat_impute_rd_intensity_values" /* spec line 34: treat(impute(rd_intensity)): values */ AS (
  SELECT
    *,
    COALESCE(
      COALESCE(
        "rd_intensity",
        LAST_VALUE("rd_intensity" IGNORE NULLS) OVER (
          PARTITION BY "region"
          ORDER BY "year"
          ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING
        ) + (
          FIRST_VALUE("rd_intensity" IGNORE NULLS) OVER (
            PARTITION BY "region"
            ORDER BY "year"
            ROWS BETWEEN 1 FOLLOWING AND UNBOUNDED FOLLOWING
          ) - LAST_VALUE("rd_intensity" IGNORE NULLS) OVER (
            PARTITION BY "region"
            ORDER BY "year"
            ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING
          )
        ) / (
          FIRST_VALUE(CASE WHEN NOT "rd_intensity" IS NULL THEN "year" END IGNORE NULLS) OVER (
            PARTITION BY "region"
            ORDER BY "year"
            ROWS BETWEEN 1 FOLLOWING AND UNBOUNDED FOLLOWING
          ) - LAST_VALUE(CASE WHEN NOT "rd_intensity" IS NULL THEN "year" END IGNORE NULLS) OVER (
            PARTITION BY "region"
            ORDER BY "year"
            ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING
          )
        ) * (
          "year" - LAST_VALUE(CASE WHEN NOT "rd_intensity" IS NULL THEN "year" END IGNORE NULLS) OVER (
            PARTITION BY "region"
            ORDER BY "year"
            ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING
          )
        )
      ),
      MEDIAN("rd_intensity") OVER (PARTITION BY "macro_region", "year")
    ) AS "treat_impute_rd_intensity_values"
  FROM "rd_intensity"
), "treat_impute_rd_intensity_winsorised_1_max_arg" /* spec line 34: argument of max(impute(rd_intensity) over region) in treat_impute_rd_intensity_winsorised_1 */ AS (
  SELECT
    *,
    CASE
      WHEN "treat_impute_rd_intensity_values" < MAX("treat_impute_rd_intensity_values") OVER (PARTITION BY "year")
      THEN "treat_impute_rd_intensity_values"
      ELSE NULL
    END AS "treat_impute_rd_intensity_winsorised_1_max_arg"
  FROM "treat_impute_rd_intensity_values"
), "treat_impute_rd_intensity_winsorised_1_min_arg" /* spec line 34: argument of min(impute(rd_intensity) over region) in treat_impute_rd_intensity_winsorised_1 */ AS (
  SELECT
    *,
    CASE
      WHEN "treat_impute_rd_intensity_values" > MIN("treat_impute_rd_intensity_values") OVER (PARTITION BY "year")
      THEN "treat_impute_rd_intensity_values"
      ELSE NULL
    END AS "treat_impute_rd_intensity_winsorised_1_min_arg"
  FROM "treat_impute_rd_intensity_winsorised_1_max_arg"
), "treat_impute_rd_intensity_winsorised_1" /* spec line 34: treat(impute(rd_intensity)): winsorised 1 */ AS (
  SELECT
    *,
    CASE
      WHEN ABS(SKEWNESS("treat_impute_rd_intensity_values") OVER (PARTITION BY "year")) >= 2
      AND KURTOSIS("treat_impute_rd_intensity_values") OVER (PARTITION BY "year") >= 3.5
      AND SKEWNESS("treat_impute_rd_intensity_values") OVER (PARTITION BY "year") > 0
      AND "treat_impute_rd_intensity_values" = MAX("treat_impute_rd_intensity_values") OVER (PARTITION BY "year")
      THEN MAX("treat_impute_rd_intensity_winsorised_1_max_arg") OVER (PARTITION BY "year")
      ELSE CASE
        WHEN ABS(SKEWNESS("treat_impute_rd_intensity_values") OVER (PARTITION BY "year")) >= 2
        AND KURTOSIS("treat_impute_rd_intensity_values") OVER (PARTITION BY "year") >= 3.5
        AND SKEWNESS("treat_impute_rd_intensity_values") OVER (PARTITION BY "year") < 0
        AND "treat_impute_rd_intensity_values" = MIN("treat_impute_rd_intensity_values") OVER (PARTITION BY "year")
        THEN MIN("treat_impute_rd_intensity_winsorised_1_min_arg") OVER (PARTITION BY "year")
        ELSE "treat_impute_rd_intensity_values"
      END
    END AS "treat_impute_rd_intensity_winsorised_1"
  FROM "treat_impute_rd_intensity_winsorised_1_min_arg"
), "treat_impute_rd_intensity_winsorised_2_max_arg" /* spec line 34: argument of max(impute(rd_intensity) over region) in treat_impute_rd_intensity_winsorised_2 */ AS (
  SELECT
    *,
    CASE
      WHEN "treat_impute_rd_intensity_winsorised_1" < MAX("treat_impute_rd_intensity_winsorised_1") OVER (PARTITION BY "year")
      THEN "treat_impute_rd_intensity_winsorised_1"
      ELSE NULL
    END AS "treat_impute_rd_intensity_winsorised_2_max_arg"
  FROM "treat_impute_rd_intensity_winsorised_1"
), "treat_impute_rd_intensity_winsorised_2_min_arg" /* spec line 34: argument of min(impute(rd_intensity) over region) in treat_impute_rd_intensity_winsorised_2 */ AS (
  SELECT
    *,
    CASE
      WHEN "treat_impute_rd_intensity_winsorised_1" > MIN("treat_impute_rd_intensity_winsorised_1") OVER (PARTITION BY "year")
      THEN "treat_impute_rd_intensity_winsorised_1"
      ELSE NULL
    END AS "treat_impute_rd_intensity_winsorised_2_min_arg"
  FROM "treat_impute_rd_intensity_winsorised_2_max_arg"
), "treat_impute_rd_intensity_winsorised_2" /* spec line 34: treat(impute(rd_intensity)): winsorised 2 */ AS (
  SELECT
    *,
    CASE
      WHEN ABS(SKEWNESS("treat_impute_rd_intensity_winsorised_1") OVER (PARTITION BY "year")) >= 2
      AND KURTOSIS("treat_impute_rd_intensity_winsorised_1") OVER (PARTITION BY "year") >= 3.5
      AND SKEWNESS("treat_impute_rd_intensity_winsorised_1") OVER (PARTITION BY "year") > 0
      AND "treat_impute_rd_intensity_winsorised_1" = MAX("treat_impute_rd_intensity_winsorised_1") OVER (PARTITION BY "year")
      THEN MAX("treat_impute_rd_intensity_winsorised_2_max_arg") OVER (PARTITION BY "year")
      ELSE CASE
        WHEN ABS(SKEWNESS("treat_impute_rd_intensity_winsorised_1") OVER (PARTITION BY "year")) >= 2
        AND KURTOSIS("treat_impute_rd_intensity_winsorised_1") OVER (PARTITION BY "year") >= 3.5
        AND SKEWNESS("treat_impute_rd_intensity_winsorised_1") OVER (PARTITION BY "year") < 0
        AND "treat_impute_rd_intensity_winsorised_1" = MIN("treat_impute_rd_intensity_winsorised_1") OVER (PARTITION BY "year")
        THEN MIN("treat_impute_rd_intensity_winsorised_2_min_arg") OVER (PARTITION BY "year")
        ELSE "treat_impute_rd_intensity_winsorised_1"
      END
    END AS "treat_impute_rd_intensity_winsorised_2"
  FROM "treat_impute_rd_intensity_winsorised_2_min_arg"
), "treat_impute_rd_intensity_winsorised_3_max_arg" /* spec line 34: argument of max(impute(rd_intensity) over region) in treat_impute_rd_intensity_winsorised_3 */ AS (
  SELECT
    *,
    CASE
      WHEN "treat_impute_rd_intensity_winsorised_2" < MAX("treat_impute_rd_intensity_winsorised_2") OVER (PARTITION BY "year")
      THEN "treat_impute_rd_intensity_winsorised_2"
      ELSE NULL
    END AS "treat_impute_rd_intensity_winsorised_3_max_arg"
  FROM "treat_impute_rd_intensity_winsorised_2"
), "treat_impute_rd_intensity_winsorised_3_min_arg" /* spec line 34: argument of min(impute(rd_intensity) over region) in treat_impute_rd_intensity_winsorised_3 */ AS (
  SELECT
    *,
    CASE
      WHEN "treat_impute_rd_intensity_winsorised_2" > MIN("treat_impute_rd_intensity_winsorised_2") OVER (PARTITION BY "year")
      THEN "treat_impute_rd_intensity_winsorised_2"
      ELSE NULL
    END AS "treat_impute_rd_intensity_winsorised_3_min_arg"
  FROM "treat_impute_rd_intensity_winsorised_3_max_arg"
), "treat_impute_rd_intensity_winsorised_3" /* spec line 34: treat(impute(rd_intensity)): winsorised 3 */ AS (
  SELECT
    *,
    CASE
      WHEN ABS(SKEWNESS("treat_impute_rd_intensity_winsorised_2") OVER (PARTITION BY "year")) >= 2
      AND KURTOSIS("treat_impute_rd_intensity_winsorised_2") OVER (PARTITION BY "year") >= 3.5
      AND SKEWNESS("treat_impute_rd_intensity_winsorised_2") OVER (PARTITION BY "year") > 0
      AND "treat_impute_rd_intensity_winsorised_2" = MAX("treat_impute_rd_intensity_winsorised_2") OVER (PARTITION BY "year")
      THEN MAX("treat_impute_rd_intensity_winsorised_3_max_arg") OVER (PARTITION BY "year")
      ELSE CASE
        WHEN ABS(SKEWNESS("treat_impute_rd_intensity_winsorised_2") OVER (PARTITION BY "year")) >= 2
        AND KURTOSIS("treat_impute_rd_intensity_winsorised_2") OVER (PARTITION BY "year") >= 3.5
        AND SKEWNESS("treat_impute_rd_intensity_winsorised_2") OVER (PARTITION BY "year") < 0
        AND "treat_impute_rd_intensity_winsorised_2" = MIN("treat_impute_rd_intensity_winsorised_2") OVER (PARTITION BY "year")
        THEN MIN("treat_impute_rd_intensity_winsorised_3_min_arg") OVER (PARTITION BY "year")
        ELSE "treat_impute_rd_intensity_winsorised_2"
      END
    END AS "treat_impute_rd_intensity_winsorised_3"
  FROM "treat_impute_rd_intensity_winsorised_3_min_arg"
), "treat_impute_rd_intensity_winsorised_4_max_arg" /* spec line 34: argument of max(impute(rd_intensity) over region) in treat_impute_rd_intensity_winsorised_4 */ AS (
  SELECT
    *,
    CASE
      WHEN "treat_impute_rd_intensity_winsorised_3" < MAX("treat_impute_rd_intensity_winsorised_3") OVER (PARTITION BY "year")
      THEN "treat_impute_rd_intensity_winsorised_3"
      ELSE NULL
    END AS "treat_impute_rd_intensity_winsorised_4_max_arg"
  FROM "treat_impute_rd_intensity_winsorised_3"
), "treat_impute_rd_intensity_winsorised_4_min_arg" /* spec line 34: argument of min(impute(rd_intensity) over region) in treat_impute_rd_intensity_winsorised_4 */ AS (
  SELECT
    *,
    CASE
      WHEN "treat_impute_rd_intensity_winsorised_3" > MIN("treat_impute_rd_intensity_winsorised_3") OVER (PARTITION BY "year")
      THEN "treat_impute_rd_intensity_winsorised_3"
      ELSE NULL
    END AS "treat_impute_rd_intensity_winsorised_4_min_arg"
  FROM "treat_impute_rd_intensity_winsorised_4_max_arg"
), "treat_impute_rd_intensity_winsorised_4" /* spec line 34: treat(impute(rd_intensity)): winsorised 4 */ AS (
  SELECT
    *,
    CASE
      WHEN ABS(SKEWNESS("treat_impute_rd_intensity_winsorised_3") OVER (PARTITION BY "year")) >= 2
      AND KURTOSIS("treat_impute_rd_intensity_winsorised_3") OVER (PARTITION BY "year") >= 3.5
      AND SKEWNESS("treat_impute_rd_intensity_winsorised_3") OVER (PARTITION BY "year") > 0
      AND "treat_impute_rd_intensity_winsorised_3" = MAX("treat_impute_rd_intensity_winsorised_3") OVER (PARTITION BY "year")
      THEN MAX("treat_impute_rd_intensity_winsorised_4_max_arg") OVER (PARTITION BY "year")
      ELSE CASE
        WHEN ABS(SKEWNESS("treat_impute_rd_intensity_winsorised_3") OVER (PARTITION BY "year")) >= 2
        AND KURTOSIS("treat_impute_rd_intensity_winsorised_3") OVER (PARTITION BY "year") >= 3.5
        AND SKEWNESS("treat_impute_rd_intensity_winsorised_3") OVER (PARTITION BY "year") < 0
        AND "treat_impute_rd_intensity_winsorised_3" = MIN("treat_impute_rd_intensity_winsorised_3") OVER (PARTITION BY "year")
        THEN MIN("treat_impute_rd_intensity_winsorised_4_min_arg") OVER (PARTITION BY "year")
        ELSE "treat_impute_rd_intensity_winsorised_3"
      END
    END AS "treat_impute_rd_intensity_winsorised_4"
  FROM "treat_impute_rd_intensity_winsorised_4_min_arg"
), "treat_impute_rd_intensity_winsorised_5_max_arg" /* spec line 34: argument of max(impute(rd_intensity) over region) in treat_impute_rd_intensity_winsorised_5 */ AS (
  SELECT
    *,
    CASE
      WHEN "treat_impute_rd_intensity_winsorised_4" < MAX("treat_impute_rd_intensity_winsorised_4") OVER (PARTITION BY "year")
      THEN "treat_impute_rd_intensity_winsorised_4"
      ELSE NULL
    END AS "treat_impute_rd_intensity_winsorised_5_max_arg"
  FROM "treat_impute_rd_intensity_winsorised_4"
), "treat_impute_rd_intensity_winsorised_5_min_arg" /* spec line 34: argument of min(impute(rd_intensity) over region) in treat_impute_rd_intensity_winsorised_5 */ AS (
  SELECT
    *,
    CASE
      WHEN "treat_impute_rd_intensity_winsorised_4" > MIN("treat_impute_rd_intensity_winsorised_4") OVER (PARTITION BY "year")
      THEN "treat_impute_rd_intensity_winsorised_4"
      ELSE NULL
    END AS "treat_impute_rd_intensity_winsorised_5_min_arg"
  FROM "treat_impute_rd_intensity_winsorised_5_max_arg"
), "treat_impute_rd_intensity_winsorised_5" /* spec line 34: treat(impute(rd_intensity)): winsorised 5 */ AS (
  SELECT
    *,
    CASE
      WHEN ABS(SKEWNESS("treat_impute_rd_intensity_winsorised_4") OVER (PARTITION BY "year")) >= 2
      AND KURTOSIS("treat_impute_rd_intensity_winsorised_4") OVER (PARTITION BY "year") >= 3.5
      AND SKEWNESS("treat_impute_rd_intensity_winsorised_4") OVER (PARTITION BY "year") > 0
      AND "treat_impute_rd_intensity_winsorised_4" = MAX("treat_impute_rd_intensity_winsorised_4") OVER (PARTITION BY "year")
      THEN MAX("treat_impute_rd_intensity_winsorised_5_max_arg") OVER (PARTITION BY "year")
      ELSE CASE
        WHEN ABS(SKEWNESS("treat_impute_rd_intensity_winsorised_4") OVER (PARTITION BY "year")) >= 2
        AND KURTOSIS("treat_impute_rd_intensity_winsorised_4") OVER (PARTITION BY "year") >= 3.5
        AND SKEWNESS("treat_impute_rd_intensity_winsorised_4") OVER (PARTITION BY "year") < 0
        AND "treat_impute_rd_intensity_winsorised_4" = MIN("treat_impute_rd_intensity_winsorised_4") OVER (PARTITION BY "year")
        THEN MIN("treat_impute_rd_intensity_winsorised_5_min_arg") OVER (PARTITION BY "year")
        ELSE "treat_impute_rd_intensity_winsorised_4"
      END
    END AS "treat_impute_rd_intensity_winsorised_5"
  FROM "treat_impute_rd_intensity_winsorised_5_min_arg"
), "s_rd_min_arg" /* spec line 38: argument of min(treat(impute(rd_intensity)) over region) in s_rd */ AS (
  SELECT
    *,
    CASE
      WHEN ABS(SKEWNESS("treat_impute_rd_intensity_winsorised_5") OVER (PARTITION BY "year")) >= 2
      AND KURTOSIS("treat_impute_rd_intensity_winsorised_5") OVER (PARTITION BY "year") >= 3.5
      THEN LN(
        CASE
          WHEN "treat_impute_rd_intensity_values" - MIN("treat_impute_rd_intensity_values") OVER (PARTITION BY "year") + 0.01 * (
            MAX("treat_impute_rd_intensity_values") OVER (PARTITION BY "year") - MIN("treat_impute_rd_intensity_values") OVER (PARTITION BY "year")
          ) > 0
          THEN "treat_impute_rd_intensity_values" - MIN("treat_impute_rd_intensity_values") OVER (PARTITION BY "year") + 0.01 * (
            MAX("treat_impute_rd_intensity_values") OVER (PARTITION BY "year") - MIN("treat_impute_rd_intensity_values") OVER (PARTITION BY "year")
          )
        END
      )
      ELSE "treat_impute_rd_intensity_winsorised_5"
    END AS "s_rd_min_arg"
  FROM "treat_impute_rd_intensity_winsorised_5"
), "s_rd_max_arg" /* spec line 38: argument of max(treat(impute(rd_intensity)) over region) in s_rd */ AS (
  SELECT
    *,
    CASE
      WHEN ABS(SKEWNESS("treat_impute_rd_intensity_winsorised_5") OVER (PARTITION BY "year")) >= 2
      AND KURTOSIS("treat_impute_rd_intensity_winsorised_5") OVER (PARTITION BY "year") >= 3.5
      THEN LN(
        CASE
          WHEN "treat_impute_rd_intensity_values" - MIN("treat_impute_rd_intensity_values") OVER (PARTITION BY "year") + 0.01 * (
            MAX("treat_impute_rd_intensity_values") OVER (PARTITION BY "year") - MIN("treat_impute_rd_intensity_values") OVER (PARTITION BY "year")
          ) > 0
          THEN "treat_impute_rd_intensity_values" - MIN("treat_impute_rd_intensity_values") OVER (PARTITION BY "year") + 0.01 * (
            MAX("treat_impute_rd_intensity_values") OVER (PARTITION BY "year") - MIN("treat_impute_rd_intensity_values") OVER (PARTITION BY "year")
          )
        END
      )
      ELSE "treat_impute_rd_intensity_winsorised_5"
    END AS "s_rd_max_arg"
  FROM "s_rd_min_arg"
), "s_rd_min_arg_2" /* spec line 38: argument of min(treat(impute(rd_intensity)) over region) in s_rd */ AS (
  SELECT
    *,
    CASE
      WHEN ABS(SKEWNESS("treat_impute_rd_intensity_winsorised_5") OVER (PARTITION BY "year")) >= 2
      AND KURTOSIS("treat_impute_rd_intensity_winsorised_5") OVER (PARTITION BY "year") >= 3.5
      THEN LN(
        CASE
          WHEN "treat_impute_rd_intensity_values" - MIN("treat_impute_rd_intensity_values") OVER (PARTITION BY "year") + 0.01 * (
            MAX("treat_impute_rd_intensity_values") OVER (PARTITION BY "year") - MIN("treat_impute_rd_intensity_values") OVER (PARTITION BY "year")
          ) > 0
          THEN "treat_impute_rd_intensity_values" - MIN("treat_impute_rd_intensity_values") OVER (PARTITION BY "year") + 0.01 * (
            MAX("treat_impute_rd_intensity_values") OVER (PARTITION BY "year") - MIN("treat_impute_rd_intensity_values") OVER (PARTITION BY "year")
          )
        END
      )
      ELSE "treat_impute_rd_intensity_winsorised_5"
    END AS "s_rd_min_arg_2"
  FROM "s_rd_max_arg"
), "s_rd" /* spec line 38: let s_rd = score(rd_intensity) */ AS (
  SELECT
    *,
    1 + (
      CASE
        WHEN ABS(SKEWNESS("treat_impute_rd_intensity_winsorised_5") OVER (PARTITION BY "year")) >= 2
        AND KURTOSIS("treat_impute_rd_intensity_winsorised_5") OVER (PARTITION BY "year") >= 3.5
        THEN LN(
          CASE
            WHEN "treat_impute_rd_intensity_values" - MIN("treat_impute_rd_intensity_values") OVER (PARTITION BY "year") + 0.01 * (
              MAX("treat_impute_rd_intensity_values") OVER (PARTITION BY "year") - MIN("treat_impute_rd_intensity_values") OVER (PARTITION BY "year")
            ) > 0
            THEN "treat_impute_rd_intensity_values" - MIN("treat_impute_rd_intensity_values") OVER (PARTITION BY "year") + 0.01 * (
              MAX("treat_impute_rd_intensity_values") OVER (PARTITION BY "year") - MIN("treat_impute_rd_intensity_values") OVER (PARTITION BY "year")
            )
          END
        )
        ELSE "treat_impute_rd_intensity_winsorised_5"
      END - MIN("s_rd_min_arg") OVER (PARTITION BY "year")
    ) / NULLIF(
      MAX("s_rd_max_arg") OVER (PARTITION BY "year") - MIN("s_rd_min_arg_2") OVER (PARTITION BY "year"),
      0
    ) * (
      100 - 1
    ) AS "s_rd"
  FROM "s_rd_min_arg_2"
), "innovation" /* spec line 46: let innovation = mean(s_patents, s_rd present 1) */ AS (
  SELECT
    *,
    CASE
      WHEN COALESCE("s_patents" * 0 + 1, 0) + COALESCE("s_rd" * 0 + 1, 0) >= 1
      THEN (
        CASE WHEN COALESCE("s_patents" * 0 + 1, 0) = 1 THEN "s_patents" ELSE 0 END + CASE WHEN COALESCE("s_rd" * 0 + 1, 0) = 1 THEN "s_rd" ELSE 0 END
      ) / NULLIF(COALESCE("s_patents" * 0 + 1, 0) + COALESCE("s_rd" * 0 + 1, 0), 0)
      ELSE NULL
    END AS "innovation"
  FROM "s_rd"
), "co2_pc" /* spec line 27: let co2_pc = co2 / population * 1000 "CO2 emissions, tonnes per resident" */ AS (
  SELECT
    *,
    "co2" / NULLIF("population", 0) * 1000 AS "co2_pc"
  FROM "innovation"
), "treat_impute_co2_pc_values" /* spec line 35: treat(impute(co2_pc)): values */ AS (
  SELECT
    *,
    COALESCE(
      COALESCE(
        "co2_pc",
        LAST_VALUE("co2_pc" IGNORE NULLS) OVER (
          PARTITION BY "region"
          ORDER BY "year"
          ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING
        ) + (
          FIRST_VALUE("co2_pc" IGNORE NULLS) OVER (
            PARTITION BY "region"
            ORDER BY "year"
            ROWS BETWEEN 1 FOLLOWING AND UNBOUNDED FOLLOWING
          ) - LAST_VALUE("co2_pc" IGNORE NULLS) OVER (
            PARTITION BY "region"
            ORDER BY "year"
            ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING
          )
        ) / (
          FIRST_VALUE(CASE WHEN NOT "co2_pc" IS NULL THEN "year" END IGNORE NULLS) OVER (
            PARTITION BY "region"
            ORDER BY "year"
            ROWS BETWEEN 1 FOLLOWING AND UNBOUNDED FOLLOWING
          ) - LAST_VALUE(CASE WHEN NOT "co2_pc" IS NULL THEN "year" END IGNORE NULLS) OVER (
            PARTITION BY "region"
            ORDER BY "year"
            ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING
          )
        ) * (
          "year" - LAST_VALUE(CASE WHEN NOT "co2_pc" IS NULL THEN "year" END IGNORE NULLS) OVER (
            PARTITION BY "region"
            ORDER BY "year"
            ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING
          )
        )
      ),
      MEDIAN("co2_pc") OVER (PARTITION BY "macro_region", "year")
    ) AS "treat_impute_co2_pc_values"
  FROM "co2_pc"
), "treat_impute_co2_pc_winsorised_1_max_arg" /* spec line 35: argument of max(impute(co2_pc) over region) in treat_impute_co2_pc_winsorised_1 */ AS (
  SELECT
    *,
    CASE
      WHEN "treat_impute_co2_pc_values" < MAX("treat_impute_co2_pc_values") OVER (PARTITION BY "year")
      THEN "treat_impute_co2_pc_values"
      ELSE NULL
    END AS "treat_impute_co2_pc_winsorised_1_max_arg"
  FROM "treat_impute_co2_pc_values"
), "treat_impute_co2_pc_winsorised_1_min_arg" /* spec line 35: argument of min(impute(co2_pc) over region) in treat_impute_co2_pc_winsorised_1 */ AS (
  SELECT
    *,
    CASE
      WHEN "treat_impute_co2_pc_values" > MIN("treat_impute_co2_pc_values") OVER (PARTITION BY "year")
      THEN "treat_impute_co2_pc_values"
      ELSE NULL
    END AS "treat_impute_co2_pc_winsorised_1_min_arg"
  FROM "treat_impute_co2_pc_winsorised_1_max_arg"
), "treat_impute_co2_pc_winsorised_1" /* spec line 35: treat(impute(co2_pc)): winsorised 1 */ AS (
  SELECT
    *,
    CASE
      WHEN ABS(SKEWNESS("treat_impute_co2_pc_values") OVER (PARTITION BY "year")) >= 2
      AND KURTOSIS("treat_impute_co2_pc_values") OVER (PARTITION BY "year") >= 3.5
      AND SKEWNESS("treat_impute_co2_pc_values") OVER (PARTITION BY "year") > 0
      AND "treat_impute_co2_pc_values" = MAX("treat_impute_co2_pc_values") OVER (PARTITION BY "year")
      THEN MAX("treat_impute_co2_pc_winsorised_1_max_arg") OVER (PARTITION BY "year")
      ELSE CASE
        WHEN ABS(SKEWNESS("treat_impute_co2_pc_values") OVER (PARTITION BY "year")) >= 2
        AND KURTOSIS("treat_impute_co2_pc_values") OVER (PARTITION BY "year") >= 3.5
        AND SKEWNESS("treat_impute_co2_pc_values") OVER (PARTITION BY "year") < 0
        AND "treat_impute_co2_pc_values" = MIN("treat_impute_co2_pc_values") OVER (PARTITION BY "year")
        THEN MIN("treat_impute_co2_pc_winsorised_1_min_arg") OVER (PARTITION BY "year")
        ELSE "treat_impute_co2_pc_values"
      END
    END AS "treat_impute_co2_pc_winsorised_1"
  FROM "treat_impute_co2_pc_winsorised_1_min_arg"
), "treat_impute_co2_pc_winsorised_2_max_arg" /* spec line 35: argument of max(impute(co2_pc) over region) in treat_impute_co2_pc_winsorised_2 */ AS (
  SELECT
    *,
    CASE
      WHEN "treat_impute_co2_pc_winsorised_1" < MAX("treat_impute_co2_pc_winsorised_1") OVER (PARTITION BY "year")
      THEN "treat_impute_co2_pc_winsorised_1"
      ELSE NULL
    END AS "treat_impute_co2_pc_winsorised_2_max_arg"
  FROM "treat_impute_co2_pc_winsorised_1"
), "treat_impute_co2_pc_winsorised_2_min_arg" /* spec line 35: argument of min(impute(co2_pc) over region) in treat_impute_co2_pc_winsorised_2 */ AS (
  SELECT
    *,
    CASE
      WHEN "treat_impute_co2_pc_winsorised_1" > MIN("treat_impute_co2_pc_winsorised_1") OVER (PARTITION BY "year")
      THEN "treat_impute_co2_pc_winsorised_1"
      ELSE NULL
    END AS "treat_impute_co2_pc_winsorised_2_min_arg"
  FROM "treat_impute_co2_pc_winsorised_2_max_arg"
), "treat_impute_co2_pc_winsorised_2" /* spec line 35: treat(impute(co2_pc)): winsorised 2 */ AS (
  SELECT
    *,
    CASE
      WHEN ABS(SKEWNESS("treat_impute_co2_pc_winsorised_1") OVER (PARTITION BY "year")) >= 2
      AND KURTOSIS("treat_impute_co2_pc_winsorised_1") OVER (PARTITION BY "year") >= 3.5
      AND SKEWNESS("treat_impute_co2_pc_winsorised_1") OVER (PARTITION BY "year") > 0
      AND "treat_impute_co2_pc_winsorised_1" = MAX("treat_impute_co2_pc_winsorised_1") OVER (PARTITION BY "year")
      THEN MAX("treat_impute_co2_pc_winsorised_2_max_arg") OVER (PARTITION BY "year")
      ELSE CASE
        WHEN ABS(SKEWNESS("treat_impute_co2_pc_winsorised_1") OVER (PARTITION BY "year")) >= 2
        AND KURTOSIS("treat_impute_co2_pc_winsorised_1") OVER (PARTITION BY "year") >= 3.5
        AND SKEWNESS("treat_impute_co2_pc_winsorised_1") OVER (PARTITION BY "year") < 0
        AND "treat_impute_co2_pc_winsorised_1" = MIN("treat_impute_co2_pc_winsorised_1") OVER (PARTITION BY "year")
        THEN MIN("treat_impute_co2_pc_winsorised_2_min_arg") OVER (PARTITION BY "year")
        ELSE "treat_impute_co2_pc_winsorised_1"
      END
    END AS "treat_impute_co2_pc_winsorised_2"
  FROM "treat_impute_co2_pc_winsorised_2_min_arg"
), "treat_impute_co2_pc_winsorised_3_max_arg" /* spec line 35: argument of max(impute(co2_pc) over region) in treat_impute_co2_pc_winsorised_3 */ AS (
  SELECT
    *,
    CASE
      WHEN "treat_impute_co2_pc_winsorised_2" < MAX("treat_impute_co2_pc_winsorised_2") OVER (PARTITION BY "year")
      THEN "treat_impute_co2_pc_winsorised_2"
      ELSE NULL
    END AS "treat_impute_co2_pc_winsorised_3_max_arg"
  FROM "treat_impute_co2_pc_winsorised_2"
), "treat_impute_co2_pc_winsorised_3_min_arg" /* spec line 35: argument of min(impute(co2_pc) over region) in treat_impute_co2_pc_winsorised_3 */ AS (
  SELECT
    *,
    CASE
      WHEN "treat_impute_co2_pc_winsorised_2" > MIN("treat_impute_co2_pc_winsorised_2") OVER (PARTITION BY "year")
      THEN "treat_impute_co2_pc_winsorised_2"
      ELSE NULL
    END AS "treat_impute_co2_pc_winsorised_3_min_arg"
  FROM "treat_impute_co2_pc_winsorised_3_max_arg"
), "treat_impute_co2_pc_winsorised_3" /* spec line 35: treat(impute(co2_pc)): winsorised 3 */ AS (
  SELECT
    *,
    CASE
      WHEN ABS(SKEWNESS("treat_impute_co2_pc_winsorised_2") OVER (PARTITION BY "year")) >= 2
      AND KURTOSIS("treat_impute_co2_pc_winsorised_2") OVER (PARTITION BY "year") >= 3.5
      AND SKEWNESS("treat_impute_co2_pc_winsorised_2") OVER (PARTITION BY "year") > 0
      AND "treat_impute_co2_pc_winsorised_2" = MAX("treat_impute_co2_pc_winsorised_2") OVER (PARTITION BY "year")
      THEN MAX("treat_impute_co2_pc_winsorised_3_max_arg") OVER (PARTITION BY "year")
      ELSE CASE
        WHEN ABS(SKEWNESS("treat_impute_co2_pc_winsorised_2") OVER (PARTITION BY "year")) >= 2
        AND KURTOSIS("treat_impute_co2_pc_winsorised_2") OVER (PARTITION BY "year") >= 3.5
        AND SKEWNESS("treat_impute_co2_pc_winsorised_2") OVER (PARTITION BY "year") < 0
        AND "treat_impute_co2_pc_winsorised_2" = MIN("treat_impute_co2_pc_winsorised_2") OVER (PARTITION BY "year")
        THEN MIN("treat_impute_co2_pc_winsorised_3_min_arg") OVER (PARTITION BY "year")
        ELSE "treat_impute_co2_pc_winsorised_2"
      END
    END AS "treat_impute_co2_pc_winsorised_3"
  FROM "treat_impute_co2_pc_winsorised_3_min_arg"
), "treat_impute_co2_pc_winsorised_4_max_arg" /* spec line 35: argument of max(impute(co2_pc) over region) in treat_impute_co2_pc_winsorised_4 */ AS (
  SELECT
    *,
    CASE
      WHEN "treat_impute_co2_pc_winsorised_3" < MAX("treat_impute_co2_pc_winsorised_3") OVER (PARTITION BY "year")
      THEN "treat_impute_co2_pc_winsorised_3"
      ELSE NULL
    END AS "treat_impute_co2_pc_winsorised_4_max_arg"
  FROM "treat_impute_co2_pc_winsorised_3"
), "treat_impute_co2_pc_winsorised_4_min_arg" /* spec line 35: argument of min(impute(co2_pc) over region) in treat_impute_co2_pc_winsorised_4 */ AS (
  SELECT
    *,
    CASE
      WHEN "treat_impute_co2_pc_winsorised_3" > MIN("treat_impute_co2_pc_winsorised_3") OVER (PARTITION BY "year")
      THEN "treat_impute_co2_pc_winsorised_3"
      ELSE NULL
    END AS "treat_impute_co2_pc_winsorised_4_min_arg"
  FROM "treat_impute_co2_pc_winsorised_4_max_arg"
), "treat_impute_co2_pc_winsorised_4" /* spec line 35: treat(impute(co2_pc)): winsorised 4 */ AS (
  SELECT
    *,
    CASE
      WHEN ABS(SKEWNESS("treat_impute_co2_pc_winsorised_3") OVER (PARTITION BY "year")) >= 2
      AND KURTOSIS("treat_impute_co2_pc_winsorised_3") OVER (PARTITION BY "year") >= 3.5
      AND SKEWNESS("treat_impute_co2_pc_winsorised_3") OVER (PARTITION BY "year") > 0
      AND "treat_impute_co2_pc_winsorised_3" = MAX("treat_impute_co2_pc_winsorised_3") OVER (PARTITION BY "year")
      THEN MAX("treat_impute_co2_pc_winsorised_4_max_arg") OVER (PARTITION BY "year")
      ELSE CASE
        WHEN ABS(SKEWNESS("treat_impute_co2_pc_winsorised_3") OVER (PARTITION BY "year")) >= 2
        AND KURTOSIS("treat_impute_co2_pc_winsorised_3") OVER (PARTITION BY "year") >= 3.5
        AND SKEWNESS("treat_impute_co2_pc_winsorised_3") OVER (PARTITION BY "year") < 0
        AND "treat_impute_co2_pc_winsorised_3" = MIN("treat_impute_co2_pc_winsorised_3") OVER (PARTITION BY "year")
        THEN MIN("treat_impute_co2_pc_winsorised_4_min_arg") OVER (PARTITION BY "year")
        ELSE "treat_impute_co2_pc_winsorised_3"
      END
    END AS "treat_impute_co2_pc_winsorised_4"
  FROM "treat_impute_co2_pc_winsorised_4_min_arg"
), "treat_impute_co2_pc_winsorised_5_max_arg" /* spec line 35: argument of max(impute(co2_pc) over region) in treat_impute_co2_pc_winsorised_5 */ AS (
  SELECT
    *,
    CASE
      WHEN "treat_impute_co2_pc_winsorised_4" < MAX("treat_impute_co2_pc_winsorised_4") OVER (PARTITION BY "year")
      THEN "treat_impute_co2_pc_winsorised_4"
      ELSE NULL
    END AS "treat_impute_co2_pc_winsorised_5_max_arg"
  FROM "treat_impute_co2_pc_winsorised_4"
), "treat_impute_co2_pc_winsorised_5_min_arg" /* spec line 35: argument of min(impute(co2_pc) over region) in treat_impute_co2_pc_winsorised_5 */ AS (
  SELECT
    *,
    CASE
      WHEN "treat_impute_co2_pc_winsorised_4" > MIN("treat_impute_co2_pc_winsorised_4") OVER (PARTITION BY "year")
      THEN "treat_impute_co2_pc_winsorised_4"
      ELSE NULL
    END AS "treat_impute_co2_pc_winsorised_5_min_arg"
  FROM "treat_impute_co2_pc_winsorised_5_max_arg"
), "treat_impute_co2_pc_winsorised_5" /* spec line 35: treat(impute(co2_pc)): winsorised 5 */ AS (
  SELECT
    *,
    CASE
      WHEN ABS(SKEWNESS("treat_impute_co2_pc_winsorised_4") OVER (PARTITION BY "year")) >= 2
      AND KURTOSIS("treat_impute_co2_pc_winsorised_4") OVER (PARTITION BY "year") >= 3.5
      AND SKEWNESS("treat_impute_co2_pc_winsorised_4") OVER (PARTITION BY "year") > 0
      AND "treat_impute_co2_pc_winsorised_4" = MAX("treat_impute_co2_pc_winsorised_4") OVER (PARTITION BY "year")
      THEN MAX("treat_impute_co2_pc_winsorised_5_max_arg") OVER (PARTITION BY "year")
      ELSE CASE
        WHEN ABS(SKEWNESS("treat_impute_co2_pc_winsorised_4") OVER (PARTITION BY "year")) >= 2
        AND KURTOSIS("treat_impute_co2_pc_winsorised_4") OVER (PARTITION BY "year") >= 3.5
        AND SKEWNESS("treat_impute_co2_pc_winsorised_4") OVER (PARTITION BY "year") < 0
        AND "treat_impute_co2_pc_winsorised_4" = MIN("treat_impute_co2_pc_winsorised_4") OVER (PARTITION BY "year")
        THEN MIN("treat_impute_co2_pc_winsorised_5_min_arg") OVER (PARTITION BY "year")
        ELSE "treat_impute_co2_pc_winsorised_4"
      END
    END AS "treat_impute_co2_pc_winsorised_5"
  FROM "treat_impute_co2_pc_winsorised_5_min_arg"
), "s_co2_min_arg" /* spec line 41: argument of min(treat(impute(co2_pc)) over region) in s_co2 */ AS (
  SELECT
    *,
    -CASE
      WHEN ABS(SKEWNESS("treat_impute_co2_pc_winsorised_5") OVER (PARTITION BY "year")) >= 2
      AND KURTOSIS("treat_impute_co2_pc_winsorised_5") OVER (PARTITION BY "year") >= 3.5
      THEN LN(
        CASE
          WHEN "treat_impute_co2_pc_values" - MIN("treat_impute_co2_pc_values") OVER (PARTITION BY "year") + 0.01 * (
            MAX("treat_impute_co2_pc_values") OVER (PARTITION BY "year") - MIN("treat_impute_co2_pc_values") OVER (PARTITION BY "year")
          ) > 0
          THEN "treat_impute_co2_pc_values" - MIN("treat_impute_co2_pc_values") OVER (PARTITION BY "year") + 0.01 * (
            MAX("treat_impute_co2_pc_values") OVER (PARTITION BY "year") - MIN("treat_impute_co2_pc_values") OVER (PARTITION BY "year")
          )
        END
      )
      ELSE "treat_impute_co2_pc_winsorised_5"
    END AS "s_co2_min_arg"
  FROM "treat_impute_co2_pc_winsorised_5"
), "s_co2_max_arg" /* spec line 41: argument of max(treat(impute(co2_pc)) over region) in s_co2 */ AS (
  SELECT
    *,
    -CASE
      WHEN ABS(SKEWNESS("treat_impute_co2_pc_winsorised_5") OVER (PARTITION BY "year")) >= 2
      AND KURTOSIS("treat_impute_co2_pc_winsorised_5") OVER (PARTITION BY "year") >= 3.5
      THEN LN(
        CASE
          WHEN "treat_impute_co2_pc_values" - MIN("treat_impute_co2_pc_values") OVER (PARTITION BY "year") + 0.01 * (
            MAX("treat_impute_co2_pc_values") OVER (PARTITION BY "year") - MIN("treat_impute_co2_pc_values") OVER (PARTITION BY "year")
          ) > 0
          THEN "treat_impute_co2_pc_values" - MIN("treat_impute_co2_pc_values") OVER (PARTITION BY "year") + 0.01 * (
            MAX("treat_impute_co2_pc_values") OVER (PARTITION BY "year") - MIN("treat_impute_co2_pc_values") OVER (PARTITION BY "year")
          )
        END
      )
      ELSE "treat_impute_co2_pc_winsorised_5"
    END AS "s_co2_max_arg"
  FROM "s_co2_min_arg"
), "s_co2_min_arg_2" /* spec line 41: argument of min(treat(impute(co2_pc)) over region) in s_co2 */ AS (
  SELECT
    *,
    -CASE
      WHEN ABS(SKEWNESS("treat_impute_co2_pc_winsorised_5") OVER (PARTITION BY "year")) >= 2
      AND KURTOSIS("treat_impute_co2_pc_winsorised_5") OVER (PARTITION BY "year") >= 3.5
      THEN LN(
        CASE
          WHEN "treat_impute_co2_pc_values" - MIN("treat_impute_co2_pc_values") OVER (PARTITION BY "year") + 0.01 * (
            MAX("treat_impute_co2_pc_values") OVER (PARTITION BY "year") - MIN("treat_impute_co2_pc_values") OVER (PARTITION BY "year")
          ) > 0
          THEN "treat_impute_co2_pc_values" - MIN("treat_impute_co2_pc_values") OVER (PARTITION BY "year") + 0.01 * (
            MAX("treat_impute_co2_pc_values") OVER (PARTITION BY "year") - MIN("treat_impute_co2_pc_values") OVER (PARTITION BY "year")
          )
        END
      )
      ELSE "treat_impute_co2_pc_winsorised_5"
    END AS "s_co2_min_arg_2"
  FROM "s_co2_max_arg"
), "s_co2" /* spec line 41: let s_co2 = score_worse(co2_pc) */ AS (
  SELECT
    *,
    1 + (
      -CASE
        WHEN ABS(SKEWNESS("treat_impute_co2_pc_winsorised_5") OVER (PARTITION BY "year")) >= 2
        AND KURTOSIS("treat_impute_co2_pc_winsorised_5") OVER (PARTITION BY "year") >= 3.5
        THEN LN(
          CASE
            WHEN "treat_impute_co2_pc_values" - MIN("treat_impute_co2_pc_values") OVER (PARTITION BY "year") + 0.01 * (
              MAX("treat_impute_co2_pc_values") OVER (PARTITION BY "year") - MIN("treat_impute_co2_pc_values") OVER (PARTITION BY "year")
            ) > 0
            THEN "treat_impute_co2_pc_values" - MIN("treat_impute_co2_pc_values") OVER (PARTITION BY "year") + 0.01 * (
              MAX("treat_impute_co2_pc_values") OVER (PARTITION BY "year") - MIN("treat_impute_co2_pc_values") OVER (PARTITION BY "year")
            )
          END
        )
        ELSE "treat_impute_co2_pc_winsorised_5"
      END - MIN("s_co2_min_arg") OVER (PARTITION BY "year")
    ) / NULLIF(
      MAX("s_co2_max_arg") OVER (PARTITION BY "year") - MIN("s_co2_min_arg_2") OVER (PARTITION BY "year"),
      0
    ) * (
      100 - 1
    ) AS "s_co2"
  FROM "s_co2_min_arg_2"
), "treat_impute_renewables_values" /* spec line 34: treat(impute(renewables)): values */ AS (
  SELECT
    *,
    COALESCE(
      COALESCE(
        "renewables",
        LAST_VALUE("renewables" IGNORE NULLS) OVER (
          PARTITION BY "region"
          ORDER BY "year"
          ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING
        ) + (
          FIRST_VALUE("renewables" IGNORE NULLS) OVER (
            PARTITION BY "region"
            ORDER BY "year"
            ROWS BETWEEN 1 FOLLOWING AND UNBOUNDED FOLLOWING
          ) - LAST_VALUE("renewables" IGNORE NULLS) OVER (
            PARTITION BY "region"
            ORDER BY "year"
            ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING
          )
        ) / (
          FIRST_VALUE(CASE WHEN NOT "renewables" IS NULL THEN "year" END IGNORE NULLS) OVER (
            PARTITION BY "region"
            ORDER BY "year"
            ROWS BETWEEN 1 FOLLOWING AND UNBOUNDED FOLLOWING
          ) - LAST_VALUE(CASE WHEN NOT "renewables" IS NULL THEN "year" END IGNORE NULLS) OVER (
            PARTITION BY "region"
            ORDER BY "year"
            ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING
          )
        ) * (
          "year" - LAST_VALUE(CASE WHEN NOT "renewables" IS NULL THEN "year" END IGNORE NULLS) OVER (
            PARTITION BY "region"
            ORDER BY "year"
            ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING
          )
        )
      ),
      "median_renewables_by_macro_region"
    ) AS "treat_impute_renewables_values"
  FROM "s_co2"
), "treat_impute_renewables_winsorised_1_max_arg" /* spec line 34: argument of max(impute(renewables) over region) in treat_impute_renewables_winsorised_1 */ AS (
  SELECT
    *,
    CASE
      WHEN "treat_impute_renewables_values" < MAX("treat_impute_renewables_values") OVER (PARTITION BY "year")
      THEN "treat_impute_renewables_values"
      ELSE NULL
    END AS "treat_impute_renewables_winsorised_1_max_arg"
  FROM "treat_impute_renewables_values"
), "treat_impute_renewables_winsorised_1_min_arg" /* spec line 34: argument of min(impute(renewables) over region) in treat_impute_renewables_winsorised_1 */ AS (
  SELECT
    *,
    CASE
      WHEN "treat_impute_renewables_values" > MIN("treat_impute_renewables_values") OVER (PARTITION BY "year")
      THEN "treat_impute_renewables_values"
      ELSE NULL
    END AS "treat_impute_renewables_winsorised_1_min_arg"
  FROM "treat_impute_renewables_winsorised_1_max_arg"
), "treat_impute_renewables_winsorised_1" /* spec line 34: treat(impute(renewables)): winsorised 1 */ AS (
  SELECT
    *,
    CASE
      WHEN ABS(SKEWNESS("treat_impute_renewables_values") OVER (PARTITION BY "year")) >= 2
      AND KURTOSIS("treat_impute_renewables_values") OVER (PARTITION BY "year") >= 3.5
      AND SKEWNESS("treat_impute_renewables_values") OVER (PARTITION BY "year") > 0
      AND "treat_impute_renewables_values" = MAX("treat_impute_renewables_values") OVER (PARTITION BY "year")
      THEN MAX("treat_impute_renewables_winsorised_1_max_arg") OVER (PARTITION BY "year")
      ELSE CASE
        WHEN ABS(SKEWNESS("treat_impute_renewables_values") OVER (PARTITION BY "year")) >= 2
        AND KURTOSIS("treat_impute_renewables_values") OVER (PARTITION BY "year") >= 3.5
        AND SKEWNESS("treat_impute_renewables_values") OVER (PARTITION BY "year") < 0
        AND "treat_impute_renewables_values" = MIN("treat_impute_renewables_values") OVER (PARTITION BY "year")
        THEN MIN("treat_impute_renewables_winsorised_1_min_arg") OVER (PARTITION BY "year")
        ELSE "treat_impute_renewables_values"
      END
    END AS "treat_impute_renewables_winsorised_1"
  FROM "treat_impute_renewables_winsorised_1_min_arg"
), "treat_impute_renewables_winsorised_2_max_arg" /* spec line 34: argument of max(impute(renewables) over region) in treat_impute_renewables_winsorised_2 */ AS (
  SELECT
    *,
    CASE
      WHEN "treat_impute_renewables_winsorised_1" < MAX("treat_impute_renewables_winsorised_1") OVER (PARTITION BY "year")
      THEN "treat_impute_renewables_winsorised_1"
      ELSE NULL
    END AS "treat_impute_renewables_winsorised_2_max_arg"
  FROM "treat_impute_renewables_winsorised_1"
), "treat_impute_renewables_winsorised_2_min_arg" /* spec line 34: argument of min(impute(renewables) over region) in treat_impute_renewables_winsorised_2 */ AS (
  SELECT
    *,
    CASE
      WHEN "treat_impute_renewables_winsorised_1" > MIN("treat_impute_renewables_winsorised_1") OVER (PARTITION BY "year")
      THEN "treat_impute_renewables_winsorised_1"
      ELSE NULL
    END AS "treat_impute_renewables_winsorised_2_min_arg"
  FROM "treat_impute_renewables_winsorised_2_max_arg"
), "treat_impute_renewables_winsorised_2" /* spec line 34: treat(impute(renewables)): winsorised 2 */ AS (
  SELECT
    *,
    CASE
      WHEN ABS(SKEWNESS("treat_impute_renewables_winsorised_1") OVER (PARTITION BY "year")) >= 2
      AND KURTOSIS("treat_impute_renewables_winsorised_1") OVER (PARTITION BY "year") >= 3.5
      AND SKEWNESS("treat_impute_renewables_winsorised_1") OVER (PARTITION BY "year") > 0
      AND "treat_impute_renewables_winsorised_1" = MAX("treat_impute_renewables_winsorised_1") OVER (PARTITION BY "year")
      THEN MAX("treat_impute_renewables_winsorised_2_max_arg") OVER (PARTITION BY "year")
      ELSE CASE
        WHEN ABS(SKEWNESS("treat_impute_renewables_winsorised_1") OVER (PARTITION BY "year")) >= 2
        AND KURTOSIS("treat_impute_renewables_winsorised_1") OVER (PARTITION BY "year") >= 3.5
        AND SKEWNESS("treat_impute_renewables_winsorised_1") OVER (PARTITION BY "year") < 0
        AND "treat_impute_renewables_winsorised_1" = MIN("treat_impute_renewables_winsorised_1") OVER (PARTITION BY "year")
        THEN MIN("treat_impute_renewables_winsorised_2_min_arg") OVER (PARTITION BY "year")
        ELSE "treat_impute_renewables_winsorised_1"
      END
    END AS "treat_impute_renewables_winsorised_2"
  FROM "treat_impute_renewables_winsorised_2_min_arg"
), "treat_impute_renewables_winsorised_3_max_arg" /* spec line 34: argument of max(impute(renewables) over region) in treat_impute_renewables_winsorised_3 */ AS (
  SELECT
    *,
    CASE
      WHEN "treat_impute_renewables_winsorised_2" < MAX("treat_impute_renewables_winsorised_2") OVER (PARTITION BY "year")
      THEN "treat_impute_renewables_winsorised_2"
      ELSE NULL
    END AS "treat_impute_renewables_winsorised_3_max_arg"
  FROM "treat_impute_renewables_winsorised_2"
), "treat_impute_renewables_winsorised_3_min_arg" /* spec line 34: argument of min(impute(renewables) over region) in treat_impute_renewables_winsorised_3 */ AS (
  SELECT
    *,
    CASE
      WHEN "treat_impute_renewables_winsorised_2" > MIN("treat_impute_renewables_winsorised_2") OVER (PARTITION BY "year")
      THEN "treat_impute_renewables_winsorised_2"
      ELSE NULL
    END AS "treat_impute_renewables_winsorised_3_min_arg"
  FROM "treat_impute_renewables_winsorised_3_max_arg"
), "treat_impute_renewables_winsorised_3" /* spec line 34: treat(impute(renewables)): winsorised 3 */ AS (
  SELECT
    *,
    CASE
      WHEN ABS(SKEWNESS("treat_impute_renewables_winsorised_2") OVER (PARTITION BY "year")) >= 2
      AND KURTOSIS("treat_impute_renewables_winsorised_2") OVER (PARTITION BY "year") >= 3.5
      AND SKEWNESS("treat_impute_renewables_winsorised_2") OVER (PARTITION BY "year") > 0
      AND "treat_impute_renewables_winsorised_2" = MAX("treat_impute_renewables_winsorised_2") OVER (PARTITION BY "year")
      THEN MAX("treat_impute_renewables_winsorised_3_max_arg") OVER (PARTITION BY "year")
      ELSE CASE
        WHEN ABS(SKEWNESS("treat_impute_renewables_winsorised_2") OVER (PARTITION BY "year")) >= 2
        AND KURTOSIS("treat_impute_renewables_winsorised_2") OVER (PARTITION BY "year") >= 3.5
        AND SKEWNESS("treat_impute_renewables_winsorised_2") OVER (PARTITION BY "year") < 0
        AND "treat_impute_renewables_winsorised_2" = MIN("treat_impute_renewables_winsorised_2") OVER (PARTITION BY "year")
        THEN MIN("treat_impute_renewables_winsorised_3_min_arg") OVER (PARTITION BY "year")
        ELSE "treat_impute_renewables_winsorised_2"
      END
    END AS "treat_impute_renewables_winsorised_3"
  FROM "treat_impute_renewables_winsorised_3_min_arg"
), "treat_impute_renewables_winsorised_4_max_arg" /* spec line 34: argument of max(impute(renewables) over region) in treat_impute_renewables_winsorised_4 */ AS (
  SELECT
    *,
    CASE
      WHEN "treat_impute_renewables_winsorised_3" < MAX("treat_impute_renewables_winsorised_3") OVER (PARTITION BY "year")
      THEN "treat_impute_renewables_winsorised_3"
      ELSE NULL
    END AS "treat_impute_renewables_winsorised_4_max_arg"
  FROM "treat_impute_renewables_winsorised_3"
), "treat_impute_renewables_winsorised_4_min_arg" /* spec line 34: argument of min(impute(renewables) over region) in treat_impute_renewables_winsorised_4 */ AS (
  SELECT
    *,
    CASE
      WHEN "treat_impute_renewables_winsorised_3" > MIN("treat_impute_renewables_winsorised_3") OVER (PARTITION BY "year")
      THEN "treat_impute_renewables_winsorised_3"
      ELSE NULL
    END AS "treat_impute_renewables_winsorised_4_min_arg"
  FROM "treat_impute_renewables_winsorised_4_max_arg"
), "treat_impute_renewables_winsorised_4" /* spec line 34: treat(impute(renewables)): winsorised 4 */ AS (
  SELECT
    *,
    CASE
      WHEN ABS(SKEWNESS("treat_impute_renewables_winsorised_3") OVER (PARTITION BY "year")) >= 2
      AND KURTOSIS("treat_impute_renewables_winsorised_3") OVER (PARTITION BY "year") >= 3.5
      AND SKEWNESS("treat_impute_renewables_winsorised_3") OVER (PARTITION BY "year") > 0
      AND "treat_impute_renewables_winsorised_3" = MAX("treat_impute_renewables_winsorised_3") OVER (PARTITION BY "year")
      THEN MAX("treat_impute_renewables_winsorised_4_max_arg") OVER (PARTITION BY "year")
      ELSE CASE
        WHEN ABS(SKEWNESS("treat_impute_renewables_winsorised_3") OVER (PARTITION BY "year")) >= 2
        AND KURTOSIS("treat_impute_renewables_winsorised_3") OVER (PARTITION BY "year") >= 3.5
        AND SKEWNESS("treat_impute_renewables_winsorised_3") OVER (PARTITION BY "year") < 0
        AND "treat_impute_renewables_winsorised_3" = MIN("treat_impute_renewables_winsorised_3") OVER (PARTITION BY "year")
        THEN MIN("treat_impute_renewables_winsorised_4_min_arg") OVER (PARTITION BY "year")
        ELSE "treat_impute_renewables_winsorised_3"
      END
    END AS "treat_impute_renewables_winsorised_4"
  FROM "treat_impute_renewables_winsorised_4_min_arg"
), "treat_impute_renewables_winsorised_5_max_arg" /* spec line 34: argument of max(impute(renewables) over region) in treat_impute_renewables_winsorised_5 */ AS (
  SELECT
    *,
    CASE
      WHEN "treat_impute_renewables_winsorised_4" < MAX("treat_impute_renewables_winsorised_4") OVER (PARTITION BY "year")
      THEN "treat_impute_renewables_winsorised_4"
      ELSE NULL
    END AS "treat_impute_renewables_winsorised_5_max_arg"
  FROM "treat_impute_renewables_winsorised_4"
), "treat_impute_renewables_winsorised_5_min_arg" /* spec line 34: argument of min(impute(renewables) over region) in treat_impute_renewables_winsorised_5 */ AS (
  SELECT
    *,
    CASE
      WHEN "treat_impute_renewables_winsorised_4" > MIN("treat_impute_renewables_winsorised_4") OVER (PARTITION BY "year")
      THEN "treat_impute_renewables_winsorised_4"
      ELSE NULL
    END AS "treat_impute_renewables_winsorised_5_min_arg"
  FROM "treat_impute_renewables_winsorised_5_max_arg"
), "treat_impute_renewables_winsorised_5" /* spec line 34: treat(impute(renewables)): winsorised 5 */ AS (
  SELECT
    *,
    CASE
      WHEN ABS(SKEWNESS("treat_impute_renewables_winsorised_4") OVER (PARTITION BY "year")) >= 2
      AND KURTOSIS("treat_impute_renewables_winsorised_4") OVER (PARTITION BY "year") >= 3.5
      AND SKEWNESS("treat_impute_renewables_winsorised_4") OVER (PARTITION BY "year") > 0
      AND "treat_impute_renewables_winsorised_4" = MAX("treat_impute_renewables_winsorised_4") OVER (PARTITION BY "year")
      THEN MAX("treat_impute_renewables_winsorised_5_max_arg") OVER (PARTITION BY "year")
      ELSE CASE
        WHEN ABS(SKEWNESS("treat_impute_renewables_winsorised_4") OVER (PARTITION BY "year")) >= 2
        AND KURTOSIS("treat_impute_renewables_winsorised_4") OVER (PARTITION BY "year") >= 3.5
        AND SKEWNESS("treat_impute_renewables_winsorised_4") OVER (PARTITION BY "year") < 0
        AND "treat_impute_renewables_winsorised_4" = MIN("treat_impute_renewables_winsorised_4") OVER (PARTITION BY "year")
        THEN MIN("treat_impute_renewables_winsorised_5_min_arg") OVER (PARTITION BY "year")
        ELSE "treat_impute_renewables_winsorised_4"
      END
    END AS "treat_impute_renewables_winsorised_5"
  FROM "treat_impute_renewables_winsorised_5_min_arg"
), "s_renewables_min_arg" /* spec line 42: argument of min(treat(impute(renewables)) over region) in s_renewables */ AS (
  SELECT
    *,
    CASE
      WHEN ABS(SKEWNESS("treat_impute_renewables_winsorised_5") OVER (PARTITION BY "year")) >= 2
      AND KURTOSIS("treat_impute_renewables_winsorised_5") OVER (PARTITION BY "year") >= 3.5
      THEN LN(
        CASE
          WHEN "treat_impute_renewables_values" - MIN("treat_impute_renewables_values") OVER (PARTITION BY "year") + 0.01 * (
            MAX("treat_impute_renewables_values") OVER (PARTITION BY "year") - MIN("treat_impute_renewables_values") OVER (PARTITION BY "year")
          ) > 0
          THEN "treat_impute_renewables_values" - MIN("treat_impute_renewables_values") OVER (PARTITION BY "year") + 0.01 * (
            MAX("treat_impute_renewables_values") OVER (PARTITION BY "year") - MIN("treat_impute_renewables_values") OVER (PARTITION BY "year")
          )
        END
      )
      ELSE "treat_impute_renewables_winsorised_5"
    END AS "s_renewables_min_arg"
  FROM "treat_impute_renewables_winsorised_5"
), "s_renewables_max_arg" /* spec line 42: argument of max(treat(impute(renewables)) over region) in s_renewables */ AS (
  SELECT
    *,
    CASE
      WHEN ABS(SKEWNESS("treat_impute_renewables_winsorised_5") OVER (PARTITION BY "year")) >= 2
      AND KURTOSIS("treat_impute_renewables_winsorised_5") OVER (PARTITION BY "year") >= 3.5
      THEN LN(
        CASE
          WHEN "treat_impute_renewables_values" - MIN("treat_impute_renewables_values") OVER (PARTITION BY "year") + 0.01 * (
            MAX("treat_impute_renewables_values") OVER (PARTITION BY "year") - MIN("treat_impute_renewables_values") OVER (PARTITION BY "year")
          ) > 0
          THEN "treat_impute_renewables_values" - MIN("treat_impute_renewables_values") OVER (PARTITION BY "year") + 0.01 * (
            MAX("treat_impute_renewables_values") OVER (PARTITION BY "year") - MIN("treat_impute_renewables_values") OVER (PARTITION BY "year")
          )
        END
      )
      ELSE "treat_impute_renewables_winsorised_5"
    END AS "s_renewables_max_arg"
  FROM "s_renewables_min_arg"
), "s_renewables_min_arg_2" /* spec line 42: argument of min(treat(impute(renewables)) over region) in s_renewables */ AS (
  SELECT
    *,
    CASE
      WHEN ABS(SKEWNESS("treat_impute_renewables_winsorised_5") OVER (PARTITION BY "year")) >= 2
      AND KURTOSIS("treat_impute_renewables_winsorised_5") OVER (PARTITION BY "year") >= 3.5
      THEN LN(
        CASE
          WHEN "treat_impute_renewables_values" - MIN("treat_impute_renewables_values") OVER (PARTITION BY "year") + 0.01 * (
            MAX("treat_impute_renewables_values") OVER (PARTITION BY "year") - MIN("treat_impute_renewables_values") OVER (PARTITION BY "year")
          ) > 0
          THEN "treat_impute_renewables_values" - MIN("treat_impute_renewables_values") OVER (PARTITION BY "year") + 0.01 * (
            MAX("treat_impute_renewables_values") OVER (PARTITION BY "year") - MIN("treat_impute_renewables_values") OVER (PARTITION BY "year")
          )
        END
      )
      ELSE "treat_impute_renewables_winsorised_5"
    END AS "s_renewables_min_arg_2"
  FROM "s_renewables_max_arg"
), "s_renewables" /* spec line 42: let s_renewables = score(renewables) */ AS (
  SELECT
    *,
    1 + (
      CASE
        WHEN ABS(SKEWNESS("treat_impute_renewables_winsorised_5") OVER (PARTITION BY "year")) >= 2
        AND KURTOSIS("treat_impute_renewables_winsorised_5") OVER (PARTITION BY "year") >= 3.5
        THEN LN(
          CASE
            WHEN "treat_impute_renewables_values" - MIN("treat_impute_renewables_values") OVER (PARTITION BY "year") + 0.01 * (
              MAX("treat_impute_renewables_values") OVER (PARTITION BY "year") - MIN("treat_impute_renewables_values") OVER (PARTITION BY "year")
            ) > 0
            THEN "treat_impute_renewables_values" - MIN("treat_impute_renewables_values") OVER (PARTITION BY "year") + 0.01 * (
              MAX("treat_impute_renewables_values") OVER (PARTITION BY "year") - MIN("treat_impute_renewables_values") OVER (PARTITION BY "year")
            )
          END
        )
        ELSE "treat_impute_renewables_winsorised_5"
      END - MIN("s_renewables_min_arg") OVER (PARTITION BY "year")
    ) / NULLIF(
      MAX("s_renewables_max_arg") OVER (PARTITION BY "year") - MIN("s_renewables_min_arg_2") OVER (PARTITION BY "year"),
      0
    ) * (
      100 - 1
    ) AS "s_renewables"
  FROM "s_renewables_min_arg_2"
)
SELECT
  "region",
  "year",
  "macro_region",
  "economy",
  "innovation",
  "s_co2",
  "s_gdp",
  "s_patents",
  "s_rd",
  "s_renewables",
  "s_unemployment"
FROM "s_renewables";

-- output scores
WITH "region_year" /* shared.region_year: region by year, computed earlier in this run */ AS (
  SELECT
    "region",
    "macro_region",
    "year",
    "economy",
    "innovation",
    "s_co2",
    "s_renewables"
  FROM "shared"."region_year"
), "environment" /* spec line 48: let environment = mean(s_co2, s_renewables present 1) */ AS (
  SELECT
    *,
    CASE
      WHEN COALESCE("s_co2" * 0 + 1, 0) + COALESCE("s_renewables" * 0 + 1, 0) >= 1
      THEN (
        CASE WHEN COALESCE("s_co2" * 0 + 1, 0) = 1 THEN "s_co2" ELSE 0 END + CASE WHEN COALESCE("s_renewables" * 0 + 1, 0) = 1 THEN "s_renewables" ELSE 0 END
      ) / NULLIF(COALESCE("s_co2" * 0 + 1, 0) + COALESCE("s_renewables" * 0 + 1, 0), 0)
      ELSE NULL
    END AS "environment"
  FROM "region_year"
), "index" /* spec line 49: let index = geomean(innovation: w_innovation, economy: w_economy, environment: w_environment) */ AS (
  SELECT
    *,
    EXP(
      (
        0.4 * LN(CASE WHEN "innovation" > 0 THEN "innovation" END) + 0.3 * LN(CASE WHEN "economy" > 0 THEN "economy" END) + 0.3 * LN(CASE WHEN "environment" > 0 THEN "environment" END)
      ) / 1
    ) AS "index"
  FROM "environment"
), "place" /* spec line 53: output scores: rank(index desc) as place */ AS (
  SELECT
    *,
    CASE
      WHEN "index" IS NULL
      THEN NULL
      ELSE RANK() OVER (PARTITION BY "year" ORDER BY "index" DESC)
    END AS "place"
  FROM "index"
)
SELECT
  "region",
  "year",
  "macro_region",
  "innovation",
  "economy",
  "environment",
  "index",
  "place"
FROM "place"
ORDER BY
  "region",
  "year";

-- output indicators
WITH "region_year" /* shared.region_year: region by year, computed earlier in this run */ AS (
  SELECT
    "region",
    "year",
    "s_co2",
    "s_gdp",
    "s_patents",
    "s_rd",
    "s_renewables",
    "s_unemployment"
  FROM "shared"."region_year"
)
SELECT
  "region",
  "year",
  "s_patents",
  "s_rd",
  "s_gdp",
  "s_unemployment",
  "s_co2",
  "s_renewables"
FROM "region_year"
ORDER BY
  "region",
  "year";
