"""The words and numbers of `idxc report`, in the spec's language: a Russian spec gets a
Russian page (issue 23), not English captions around Russian names.

The language is the one asked for (`idxc report --lang`), else the one the spec's titles
and doc strings are written in: mostly Cyrillic letters make it Russian. Numbers are
written as that language writes them (1,234.5 or 1 234,5), with the same decimals down
a column so that it reads as one quantity.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal
from typing import Iterable, Sequence

from .. import ast
from ..semantics import model as m

LANGUAGES = ("en", "ru")
MAX_DECIMALS = 4  # a column never shows more: a reader compares, a reviewer has the data
GROUPED_FROM = 10_000  # thousands are separated in columns reaching this (years stay 2022)

LABELS: dict[str, dict[str, str]] = {
    "en": {
        "report": "report",
        "made_with": "Made by idxc report from the specification {spec}. Every figure in it was computed by the "
                     "specification's own SQL.",
        "nav_ranking": "Ranking", "nav_charts": "Charts", "nav_methodology": "Methodology",
        "ranking_output": "Output {name}, by {keys}.",
        "nav_changes": "Changes", "changes": "Changes from {against}",
        "changes_note": "What changed in the method from the earlier version (idxc diff): every statement added, "
                        "removed or changed, and the outputs it reaches; then, for each output, the values that moved "
                        "most.",
        "changes_none": "No statement changed.", "changes_output_note": "{n} value(s) changed in all (the {k} "
        "largest of each column are shown); {before} row(s) only before, {after} only after.",
        "change_added": "added", "change_removed": "removed", "change_changed": "changed",
        "col_change": "change", "col_statement": "statement", "col_before": "before", "col_after": "after",
        "col_reaches": "reaches output", "col_key": "row", "col_column": "column", "col_delta": "change",
        "tree_nothing": "nothing", "tree_see_above": "see above", "tree_column": "column of table {table}",
        "tree_attribute": "attribute of table {table}", "tree_key": "key",
        "nav_outputs": "Every output", "outputs": "Every output of the specification",
        "outputs_note": "Each output as its rows fit: a series over time in full, groups or entities in the last "
                        "period with a chart over time, an output with no time axis in full.",
        "output_title": "Output {name}, by {keys}", "output_title_scalar": "Output {name}",
        "series_note": "Every period, in order.",
        "last_period_note": "Values in {when}, one row for each {keys}.",
        "all_rows_note": "All its rows ({n}).",
        "series_chart_title": "Output {name} over time",
        "series_chart_note": "{columns}, in each period; a missing value breaks its line.",
        "groups_chart_title": "{score} over time, for each {keys}",
        "groups_chart_note": "One line for each {keys}; a missing value breaks its line.",
        "groups_chart_cut": "The {k} highest in the last period are drawn, of {n}.",
        "nav_skipped": "Missing values", "nav_analysis": "Analysis of the data",
        "ranking": "Ranking", "ranking_for": "Ranking, {period}", "results": "Results",
        "results_for": "Results for {period}", "when": " in {period}",
        "ordered_by": ", ordered by {place}", "sort_hint": "Click a column heading to sort the table by it.",
        "period_year": "{period}",
        "charts": "Charts",
        "classes_title": "Classes of the scale “{scale}”{when}",
        "classes_note": "Number of entities ({entity}) in each class of the scale, {n} in all, in the order the "
                        "specification lists the classes; a class that no entity reached is shown with 0.",
        "classes_x": "class", "classes_y": "number of entities", "no_class": "no class",
        "over_time_title": "{score} over time: the {k} leading entities",
        "over_time_note": "The {k} entities ({entity}) with the highest {score}{when}, followed through every period.",
        "decomposition_title": "{score} by component: each component's contribution",
        "decomposition_note": "The {k} entities ({entity}) with the highest {score}{when}. A component's contribution "
                              "is its weight times its value, divided by the sum of the weights of the components "
                              "present, so that an entity's contributions add up to its {score} before rounding.",
        "decomposition_x": "contribution to {score}",
        "decomposition_note_sum": "The {k} entities ({entity}) with the highest {score}{when}. A component's "
                                  "contribution is its value: the components add up to {score} before rounding.",
        "decomposition_note_geomean": "The {k} entities ({entity}) with the highest {score}{when}. {score} is a "
                                      "geometric mean, so its logarithm is the weighted mean of its components' "
                                      "logarithms: a component contributes w·ln x / Σw, and the contributions add up "
                                      "to ln {score} before rounding. A component below 1 has a negative logarithm: "
                                      "the longest bar left of zero is what holds {score} down most.",
        "decomposition_title_geomean": "{score} by component: each component's term of its logarithm",
        "decomposition_x_geomean": "contribution to ln {score}",
        "contribution_geomean": "to ln",
        "decomposition_table_note_geomean": "For each component, its value and its term of ln {score}{when} "
                                            "(w·ln x / Σw).",
        "no_decomposition": "No decomposition of {score} is shown: it is a {how} of its components, and no part of "
                            "such a mean belongs to one component alone. Each component's value is in the output's "
                            "table.",
        "how_hmean": "harmonic mean", "how_genmean": "generalised mean", "how_mean": "mean", "how_sum": "sum",
        "how_product": "product", "how_geomean": "geometric mean",
        "framework": "Framework", "worse": "higher is worse",
        "framework_note": "How the specification builds {root}: each level from the components beneath it, with "
                          "their weights where they are averaged, down to the data (the grey boxes). A component "
                          "marked “higher is worse” is normalised so that a higher value counts against.",
        "decomposition_table": "{score} of every entity, by component",
        "decomposition_table_note": "For each component, its value and its contribution to {score}{when}.",
        "value": "value", "contribution": "contribution",
        "correlations_title": "Correlations: {data}",
        "correlations_note": "Pearson's correlation coefficient of each pair, over the rows where both values are "
                             "present.",
        "data_table": "table {name}", "data_outputs": "outputs {names}",
        "methodology": "Methodology",
        "methodology_note": "How every figure is computed, from the data up: the quantities the specification "
                            "defines, the functions they apply, the scales of classes and the parameters.",
        "definitions": "Definitions",
        "definitions_note": "Each quantity the specification defines, with its formula as written.",
        "functions": "Functions",
        "functions_note": "The functions the specification defines; each is applied to the indicators named where "
                          "it is used, which take the place of its arguments.",
        "scales": "Scales of classes",
        "scales_note": "A value falls into the class whose interval holds it: a square bracket includes the end of "
                       "an interval, a parenthesis leaves it out.",
        "params": "Parameters",
        "data": "Data", "data_note": "The tables the specification reads: each one's file, what its rows are, "
                                     "and every column it uses, with its description.",
        "col_table": "table", "col_file": "file", "col_rows": "one row per", "col_column": "column",
        "col_kind": "kind", "kind_number": "number", "kind_attribute": "attribute",
        "tree": "How each output is computed",
        "tree_note": "Each output's columns as a tree of what they are computed from, down to the data, in the "
                     "specification's own notation.",
        "col_name": "name", "col_grain": "varies by", "col_formula": "formula", "col_doc": "description",
        "col_line": "line of the specification", "col_value": "value", "col_function": "function",
        "col_used_in": "used in", "col_note": "note", "col_class": "class", "col_label": "label",
        "col_interval": "interval", "col_meaning": "values",
        "at_least": "at least {v}", "more_than": "more than {v}", "at_most": "at most {v}",
        "less_than": "less than {v}", "any_value": "any value",
        "skipped": "Missing values",
        "skipped_note": "A calculation over several values (a mean, a maximum and so on) leaves out those that are "
                        "missing: how many it left out, of how many it took in, and the outputs it feeds.",
        "skipped_none": "The specification has no calculation over several values.",
        "col_reduction": "calculation", "col_missing": "left out", "col_cells": "values taken in",
        "col_outputs": "outputs",
        "analysis": "Analysis of the data",
        "analysis_note": "How complete each indicator is, how its values are distributed, and Cronbach's alpha of "
                         "each aggregate's components; their correlations are drawn with the charts.",
        "table_availability_by_indicator": "Completeness of each indicator",
        "table_statistics": "Descriptive statistics", "table_alpha": "Cronbach's alpha",
        "a_data": "data", "a_indicator": "indicator", "a_cells": "cells", "a_present": "present",
        "a_share": "share present", "a_n": "n", "a_mean": "mean", "a_sd": "standard deviation", "a_min": "minimum",
        "a_max": "maximum", "a_skew": "skewness", "a_kurt": "kurtosis", "a_aggregate": "aggregate",
        "a_components": "components", "a_k": "k", "a_rows": "rows", "a_alpha": "alpha",
        "page": "page",
    },
    "ru": {
        "report": "отчёт",
        "made_with": "Отчёт подготовлен командой idxc report по спецификации {spec}. Все числа в нём рассчитаны "
                     "SQL-запросами самой спецификации.",
        "nav_ranking": "Рейтинг", "nav_charts": "Графики", "nav_methodology": "Методология",
        "ranking_output": "Результат {name} по: {keys}.",
        "nav_changes": "Изменения", "changes": "Изменения относительно {against}",
        "changes_note": "Что изменилось в методике по сравнению с прежней версией (idxc diff): каждое добавленное, "
                        "удалённое или изменённое утверждение и результаты, которых оно касается; затем для каждого "
                        "результата — значения, изменившиеся сильнее всего.",
        "changes_none": "Ни одно утверждение не изменилось.", "changes_output_note": "Всего изменилось значений: {n} "
        "(показаны {k} наибольших по каждому столбцу); строк только в прежней версии: {before}, только в новой: "
        "{after}.",
        "change_added": "добавлено", "change_removed": "удалено", "change_changed": "изменено",
        "col_change": "изменение", "col_statement": "утверждение", "col_before": "было", "col_after": "стало",
        "col_reaches": "касается результатов", "col_key": "строка", "col_column": "столбец", "col_delta": "изменение",
        "tree_nothing": "ничему", "tree_see_above": "см. выше", "tree_column": "столбец таблицы {table}",
        "tree_attribute": "признак таблицы {table}", "tree_key": "ключ",
        "nav_outputs": "Все результаты", "outputs": "Все результаты спецификации",
        "outputs_note": "Каждый результат в подходящем виде: ряд по периодам целиком, группы или объекты за "
                        "последний период с графиком по периодам, результат без оси времени целиком.",
        "output_title": "Результат {name} по: {keys}", "output_title_scalar": "Результат {name}",
        "series_note": "Все периоды по порядку.",
        "last_period_note": "Значения за {when}, одна строка на каждое значение: {keys}.",
        "all_rows_note": "Все строки ({n}).",
        "series_chart_title": "Результат {name} по периодам",
        "series_chart_note": "{columns} за каждый период; пропущенное значение прерывает линию.",
        "groups_chart_title": "{score} по периодам, по каждому значению: {keys}",
        "groups_chart_note": "Одна линия на каждое значение: {keys}; пропущенное значение прерывает линию.",
        "groups_chart_cut": "Показаны {k} наибольших в последнем периоде из {n}.",
        "nav_skipped": "Пропуски", "nav_analysis": "Анализ данных",
        "ranking": "Рейтинг", "ranking_for": "Рейтинг, {period}", "results": "Результаты",
        "results_for": "Результаты за {period}", "when": " в {period}",
        "ordered_by": ", упорядочены по столбцу «{place}»",
        "sort_hint": "Щёлкните заголовок столбца, чтобы упорядочить таблицу по нему.",
        "period_year": "{period} г.",
        "charts": "Графики",
        "classes_title": "Распределение по классам шкалы «{scale}»{when}",
        "classes_note": "Число объектов ({entity}) в каждом классе шкалы, всего {n}, в том порядке, в котором "
                        "классы перечислены в спецификации; класс, в который не попал ни один объект, показан "
                        "с нулём.",
        "classes_x": "класс", "classes_y": "число объектов", "no_class": "без класса",
        "over_time_title": "«{score}» по периодам: первые {k} по значению",
        "over_time_note": "Объекты ({entity}) с наибольшим значением показателя «{score}»{when}, первые {k}, "
                          "за все периоды.",
        "decomposition_title": "«{score}» по составляющим: вклад каждой составляющей",
        "decomposition_note": "Объекты ({entity}) с наибольшим значением показателя «{score}»{when}, первые {k}. "
                              "Вклад составляющей — её вес, умноженный на её значение и делённый на сумму весов "
                              "имеющихся составляющих, так что вклады объекта в сумме дают «{score}» до "
                              "округления.",
        "decomposition_x": "вклад в «{score}»",
        "decomposition_note_sum": "Объекты ({entity}) с наибольшим значением показателя «{score}»{when}, первые "
                                  "{k}. Вклад составляющей — её значение: в сумме составляющие дают «{score}» до "
                                  "округления.",
        "decomposition_note_geomean": "Объекты ({entity}) с наибольшим значением показателя «{score}»{when}, первые "
                                      "{k}. «{score}» — среднее геометрическое, поэтому его логарифм — взвешенное "
                                      "среднее логарифмов составляющих: вклад составляющей равен w·ln x / Σw, а в "
                                      "сумме вклады дают ln «{score}» до округления. У составляющей меньше 1 логарифм "
                                      "отрицателен: самая длинная полоса левее нуля сильнее всего снижает «{score}».",
        "decomposition_title_geomean": "«{score}» по составляющим: вклад каждой в его логарифм",
        "decomposition_x_geomean": "вклад в ln «{score}»",
        "contribution_geomean": "вклад в ln",
        "decomposition_table_note_geomean": "Для каждой составляющей{when} — её значение и вклад в ln «{score}» "
                                            "(w·ln x / Σw).",
        "no_decomposition": "Разложение «{score}» по составляющим не показано: это {how} составляющих, и никакая "
                            "его часть не принадлежит одной составляющей. Значения составляющих приведены в таблице "
                            "результата.",
        "how_hmean": "среднее гармоническое", "how_genmean": "обобщённое среднее", "how_mean": "среднее",
        "how_sum": "сумма", "how_product": "произведение", "how_geomean": "среднее геометрическое",
        "framework": "Структура показателя", "worse": "чем выше, тем хуже",
        "framework_note": "Как спецификация строит «{root}»: каждый уровень — из составляющих под ним, с их весами "
                          "там, где они усредняются, вплоть до данных (серые блоки). Составляющая с пометкой "
                          "«чем выше, тем хуже» нормирована так, что большее значение идёт в минус.",
        "decomposition_table": "«{score}» каждого объекта по составляющим",
        "decomposition_table_note": "Для каждой составляющей{when} — её значение и вклад в «{score}».",
        "value": "значение", "contribution": "вклад",
        "correlations_title": "Корреляции: {data}",
        "correlations_note": "Коэффициент корреляции Пирсона для каждой пары по строкам, где известны оба "
                             "значения.",
        "data_table": "таблица {name}", "data_outputs": "выходы {names}",
        "methodology": "Методология",
        "methodology_note": "Как рассчитано каждое число, начиная с данных: показатели, которые определяет "
                            "спецификация, применяемые к ним функции, шкалы классов и параметры.",
        "definitions": "Показатели",
        "definitions_note": "Каждый показатель спецификации с его формулой в том виде, в каком она записана.",
        "functions": "Функции",
        "functions_note": "Функции, которые определяет спецификация; каждая применяется к показателям, указанным "
                          "там, где она используется, и они подставляются вместо её аргументов.",
        "scales": "Шкалы классов",
        "scales_note": "Значение относится к классу, интервал которого его содержит: квадратная скобка включает "
                       "границу интервала, круглая — исключает её.",
        "params": "Параметры",
        "data": "Данные", "data_note": "Таблицы, которые читает спецификация: файл каждой, что составляет её "
                                       "строки, и все используемые столбцы с их описанием.",
        "col_table": "таблица", "col_file": "файл", "col_rows": "строка на", "col_column": "столбец",
        "col_kind": "вид", "kind_number": "число", "kind_attribute": "признак",
        "tree": "Как рассчитан каждый выход",
        "tree_note": "Столбцы каждого выхода в виде дерева того, из чего они рассчитаны, вплоть до данных, "
                     "в записи самой спецификации.",
        "col_name": "имя", "col_grain": "разрез", "col_formula": "формула", "col_doc": "описание",
        "col_line": "строка спецификации", "col_value": "значение", "col_function": "функция",
        "col_used_in": "где применяется", "col_note": "примечание", "col_class": "класс", "col_label": "название",
        "col_interval": "интервал", "col_meaning": "значения",
        "at_least": "не менее {v}", "more_than": "более {v}", "at_most": "не более {v}",
        "less_than": "менее {v}", "any_value": "любое значение",
        "skipped": "Пропущенные значения",
        "skipped_note": "Вычисление по нескольким значениям (среднее, максимум и т. п.) пропускает отсутствующие: "
                        "сколько значений пропущено, из скольких, и в какие выходы идёт результат.",
        "skipped_none": "В спецификации нет вычислений по нескольким значениям.",
        "col_reduction": "вычисление", "col_missing": "пропущено", "col_cells": "всего значений",
        "col_outputs": "выходы",
        "analysis": "Анализ данных",
        "analysis_note": "Полнота данных по каждому показателю, распределение его значений и альфа Кронбаха "
                         "составляющих каждого агрегата; корреляции показаны на графиках.",
        "table_availability_by_indicator": "Полнота данных по показателям",
        "table_statistics": "Описательная статистика", "table_alpha": "Альфа Кронбаха",
        "a_data": "данные", "a_indicator": "показатель", "a_cells": "ячеек", "a_present": "заполнено",
        "a_share": "доля заполненных", "a_n": "n", "a_mean": "среднее", "a_sd": "стандартное отклонение",
        "a_min": "минимум", "a_max": "максимум", "a_skew": "асимметрия", "a_kurt": "эксцесс",
        "a_aggregate": "агрегат", "a_components": "составляющие", "a_k": "k", "a_rows": "строк", "a_alpha": "альфа",
        "page": "стр.",
    },
}

# How each language writes a number: decimal mark, thousands separator (a no-break space).
MARKS = {"en": (".", ","), "ru": (",", "\u00a0")}


def _cyrillic(text: str) -> int:
    return sum(1 for ch in text if "\u0400" <= ch <= "\u04ff")


def _latin(text: str) -> int:
    return sum(1 for ch in text if ch.isascii() and ch.isalpha())


def _prose(model: m.Model, module: ast.Module | None) -> Iterable[str]:
    """The spec's words meant for a reader: its titles, doc strings and class labels."""
    yield model.title or ""
    for t in model.tables.values():
        yield t.title or ""
        yield from t.docs.values()
    yield from (d.doc or "" for d in model.all_definitions())
    yield from (p.doc or "" for p in model.params.values())
    for st in module.statements if module is not None else ():
        if isinstance(st, ast.Scale):
            yield st.title or ""
            yield from (b.label or "" for b in st.bands)


def written_in(words: str) -> str:
    """"ru" for mostly Cyrillic letters, else "en"."""
    return "ru" if _cyrillic(words) > _latin(words) else "en"


def language(model: m.Model, module: ast.Module | None) -> str:
    """The language of the spec's titles and docs."""
    return written_in(" ".join(_prose(model, module)))


@dataclass(frozen=True)
class Text:
    """The report's fixed words and its numbers, in one language."""

    lang: str

    def __call__(self, key: str, **values: object) -> str:
        return LABELS[self.lang][key].format(**values)

    def period(self, period: object, yearly: bool) -> str:
        return self("period_year", period=period) if yearly else str(period)

    @property
    def separators(self) -> str:
        """Plotly's `separators`: the decimal mark, then the thousands separator."""
        return "".join(MARKS[self.lang])

    def number(self, v: float | int | Decimal, places: int, grouped: bool = False) -> str:
        point, thousands = MARKS[self.lang]
        if isinstance(v, float) and not math.isfinite(v):
            return "" if math.isnan(v) else ("∞" if v > 0 else "−∞")
        text = f"{v:{',' if grouped else ''}.{places}f}"
        return text.translate({ord(","): thousands, ord("."): point})

    def interval(self, band: ast.Band) -> str:
        """A band's interval in words: `(85, 100]` is "more than 85, at most 100"."""
        def num(v: float) -> str:
            return self.number(v, decimals([v]))

        ends = []
        if math.isfinite(band.low):
            ends.append(self("at_least" if band.low_closed else "more_than", v=num(band.low)))
        if math.isfinite(band.high):
            ends.append(self("at_most" if band.high_closed else "less_than", v=num(band.high)))
        return ", ".join(ends) or self("any_value")


def is_number(v: object) -> bool:
    return isinstance(v, (int, float, Decimal)) and not isinstance(v, bool)


def decimals(values: Sequence[float | int | Decimal]) -> int:
    """The decimals a column is shown with: no more than its values have (a score rounded
    to 2 keeps 2, 90.50 included); else 2, or more to give its smallest value 3 digits,
    so that neighbours in a ranking do not look tied."""
    finite = [abs(float(v)) for v in values if math.isfinite(float(v))]
    if not finite:
        return 0
    exact = next((k for k in range(MAX_DECIMALS + 1)
                  if all(abs(v - round(v, k)) <= 1e-9 * max(1.0, v) for v in finite)), MAX_DECIMALS)
    smallest = min((v for v in finite if v > 0), default=1.0)
    return min(exact, max(2, min(MAX_DECIMALS, 2 - math.floor(math.log10(smallest)))))


def grouped(values: Sequence[float | int | Decimal]) -> bool:
    """Whether a column's thousands are separated: only where it reaches five digits, so
    that a year reads 2022."""
    return any(abs(float(v)) >= GROUPED_FROM for v in values if math.isfinite(float(v)))


def css_string(text: str) -> str:
    """`text` as a CSS string literal (for `@page` headers), safe inside <style>."""
    escaped = "".join(ch if ch.isalnum() or ch in " .,:;-–—()«»'" else f"\\{ord(ch):x} " for ch in text)
    return f'"{escaped}"'


__all__ = ["LABELS", "LANGUAGES", "Text", "css_string", "decimals", "grouped", "is_number", "language", "written_in"]
