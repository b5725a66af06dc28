"""A meeting in the six UN languages with 193 delegations, written as a meeting file.

English, French, Spanish, Russian, Chinese and Arabic; one organisation per country (the
organisation's name in each language built from CLDR's country names), each with a signatory
whose name is written in the script of the country's language where that is not Latin
(Cyrillic, Chinese, Arabic). The declaration's texts are written as each language writes
numbers, dates and percentages ("95 %", "95%", "95 في المائة", "20 ноября 2026 года"), so lint
has something real to read.
"""

from __future__ import annotations

from consensus_kit.domain.locales import country_name, is_country_code

LANGS = ("en", "fr", "es", "ru", "zh", "ar")

TEXTS: dict[str, dict[str, str]] = {
    "title": {
        "en": "Geneva Declaration on the Rights of the Child in the Digital Age",
        "fr": "Déclaration de Genève sur les droits de l’enfant à l’ère numérique",
        "es": "Declaración de Ginebra sobre los derechos del niño en la era digital",
        "ru": "Женевская декларация о правах ребёнка в цифровую эпоху",
        "zh": "关于数字时代儿童权利的日内瓦宣言",
        "ar": "إعلان جنيف بشأن حقوق الطفل في العصر الرقمي",
    },
    "preamble": {
        "en": "We, the delegations gathered in Geneva on 20 November 2026, recalling the "
        "Convention on the Rights of the Child of 20 November 1989, declare the following:",
        "fr": "Nous, délégations réunies à Genève le 20 novembre 2026, rappelant la Convention "
        "relative aux droits de l’enfant du 20 novembre 1989, déclarons ce qui suit :",
        "es": "Nosotras, las delegaciones reunidas en Ginebra el 20 de noviembre de 2026, "
        "recordando la Convención sobre los Derechos del Niño de 20 de noviembre de 1989, "
        "declaramos lo siguiente:",
        "ru": "Мы, делегации, собравшиеся в Женеве 20 ноября 2026 года, ссылаясь на Конвенцию "
        "о правах ребёнка от 20 ноября 1989 года, заявляем следующее:",
        "zh": "我们，于2026年11月20日聚集在日内瓦的各代表团，回顾1989年11月20日《儿童权利公约》，"
        "声明如下：",
        "ar": "إننا، الوفود المجتمعة في جنيف في 20 تشرين الثاني/نوفمبر 2026، إذ نشير إلى "
        "اتفاقية حقوق الطفل المؤرخة 20 تشرين الثاني/نوفمبر 1989، نعلن ما يلي:",
    },
    "art-1": {
        "en": "Every child has the right to be protected online and offline, without "
        "discrimination of any kind.",
        "fr": "Tout enfant a le droit d’être protégé en ligne et hors ligne, sans "
        "discrimination aucune.",
        "es": "Todo niño tiene derecho a ser protegido en línea y fuera de línea, sin "
        "discriminación alguna.",
        "ru": "Каждый ребёнок имеет право на защиту в сети и вне её без какой-либо дискриминации.",
        "zh": "每个儿童都有权在线上和线下受到保护，不受任何歧视。",
        "ar": "لكل طفل الحق في الحماية على الإنترنت وخارجها، دون أي تمييز.",
    },
    "art-2": {
        "en": "By 2030, States will connect 95% of schools to the internet, and at least "
        "1,500,000 teachers will be trained.",
        "fr": "D’ici à 2030, les États connecteront 95 % des écoles à l’internet, et au moins "
        "1 500 000 enseignants seront formés.",
        "es": "Para 2030, los Estados conectarán el 95 % de las escuelas a internet y se "
        "formará al menos a 1.500.000 docentes.",
        "ru": "К 2030 году государства подключат к интернету 95 процентов школ, и не менее "
        "1 500 000 учителей пройдут подготовку.",
        "zh": "到2030年，各国将把95%的学校接入互联网，并至少培训1,500,000名教师。",
        "ar": "بحلول عام 2030، ستربط الدول 95 في المائة من المدارس بالإنترنت، وسيُدرَّب ما لا "
        "يقل عن 1,500,000 معلم.",
    },
    "art-3": {
        "en": "At least 0.7% of national income will go to the least developed countries.",
        "fr": "Au moins 0,7 % du revenu national ira aux pays les moins avancés.",
        "es": "Al menos el 0,7 % del ingreso nacional se destinará a los países menos adelantados.",
        "ru": "Не менее 0,7 % национального дохода будут направлены наименее развитым странам.",
        "zh": "至少将国民收入的0.7%用于最不发达国家。",
        "ar": "يُخصَّص ما لا يقل عن 0.7 في المائة من الدخل القومي لأقل البلدان نموا.",
    },
    "art-4": {
        "en": "The parties will report on progress every two years, starting on 1 March 2028.",
        "fr": "Les parties rendront compte des progrès tous les deux ans, à compter du "
        "1er mars 2028.",
        "es": "Las partes informarán de los progresos cada dos años, a partir del 1 de marzo "
        "de 2028.",
        "ru": "Стороны будут отчитываться о ходе работы каждые два года начиная с 1 марта "
        "2028 года.",
        "zh": "各方将自2028年3月1日起每两年报告一次进展情况。",
        "ar": "تقدم الأطراف تقارير عن التقدم المحرز كل سنتين، ابتداء من 1 آذار/مارس 2028.",
    },
}
"""The declaration's parts in the six languages."""

_ORGANISATION = {
    "en": "Children’s Rights Coalition of {}",
    "fr": "Coalition pour les droits de l’enfant – {}",
    "es": "Coalición por los Derechos del Niño – {}",
    "ru": "Коалиция за права ребёнка — {}",
    "zh": "{}儿童权利联盟",
    "ar": "ائتلاف حقوق الطفل – {}",
}
_CYRILLIC = {"RU", "BY", "KZ", "KG", "TJ", "UA", "BG", "RS", "MK", "MN"}
_ARABIC = {"DZ", "BH", "EG", "IQ", "JO", "KW", "LB", "LY", "MA", "OM", "QA", "SA", "SD", "SY"}
_ARABIC |= {"TN", "AE", "YE", "MR"}
_CHINESE = {"CN", "SG"}
_NOT_MEMBERS = {"AQ", "BV", "HM", "TF", "UM", "GS", "IO", "PN", "TK", "NF", "CX", "CC", "VA"}


def countries(n: int = 193) -> list[str]:
    """``n`` ISO country codes, alphabetical, skipping uninhabited territories (a stand-in for
    the 193 UN members: some are territories, which changes nothing here)."""
    from babel import Locale

    codes = sorted(
        c for c in Locale("en").territories if is_country_code(c) and c not in _NOT_MEMBERS
    )
    return codes[:n]


def signer_name(code: str, i: int) -> str:
    """A signer's name in the script of the country's language."""
    if code in _CYRILLIC:
        return ["Анна Иванова", "Сергей Петров", "Мария Смирнова"][i % 3]
    if code in _ARABIC:
        return ["فاطمة الزهراء", "محمد العلي", "ليلى حسن"][i % 3]
    if code in _CHINESE:
        return ["王芳", "李伟", "张敏"][i % 3]
    return f"Delegate {i + 1}"


def _inline(texts: dict[str, str]) -> str:
    def quoted(text: str) -> str:
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'

    return "{ " + ", ".join(f"{lang} = {quoted(texts[lang])}" for lang in LANGS) + " }"


def six_language_toml(orgs: int = 193, meeting_id: str = "geneva-2026") -> str:
    """The meeting file: six languages, ``orgs`` organisations, a chair and a secretariat."""
    place = {
        "en": "Geneva, Switzerland",
        "fr": "Genève, Suisse",
        "es": "Ginebra, Suiza",
        "ru": "Женева, Швейцария",
        "zh": "瑞士日内瓦",
        "ar": "جنيف، سويسرا",
    }
    parts = [
        "[meeting]",
        f'id = "{meeting_id}"',
        "title = "
        + _inline(
            {
                "en": "Summit on the Rights of the Child",
                "fr": "Sommet sur les droits de l’enfant",
                "es": "Cumbre sobre los Derechos del Niño",
                "ru": "Саммит по правам ребёнка",
                "zh": "儿童权利峰会",
                "ar": "مؤتمر القمة بشأن حقوق الطفل",
            }
        ),
        f"place = {_inline(place)}",
        "start = 2026-11-18",
        "end = 2026-11-20",
        "languages = " + str(list(LANGS)).replace("'", '"'),
        'negotiating_language = "en"',
        "",
        "[decision]",
        'rule = "consensus"',
        "quorum = 0.5",
    ]
    for i, code in enumerate(countries(orgs)):
        names = {lang: _ORGANISATION[lang].format(country_name(code, lang)) for lang in LANGS}
        parts += [
            "",
            "[[organisations]]",
            f'id = "org-{code.lower()}"',
            f"name = {_inline(names)}",
            f'country = "{code}"',
            'region = "World"',
            "",
            "[[delegates]]",
            f'id = "signatory-{code.lower()}"',
            f'name = "{signer_name(code, i)}"',
            f'organisation = "org-{code.lower()}"',
            'roles = ["delegate", "signatory"]',
        ]
    parts += [
        "",
        "[[delegates]]",
        'id = "chair"',
        'name = "The Chair"',
        'roles = ["chair"]',
        "",
        "[[delegates]]",
        'id = "secretariat"',
        'name = "The Secretariat"',
        'roles = ["secretariat"]',
        "",
        "[declaration]",
        "date = 2026-11-20",
        f"title = {_inline(TEXTS['title'])}",
        f"preamble = {_inline(TEXTS['preamble'])}",
    ]
    for part in ("art-1", "art-2", "art-3", "art-4"):
        parts += [
            "",
            "[[declaration.articles]]",
            f'id = "{part}"',
            f"text = {_inline(TEXTS[part])}",
        ]
    return "\n".join(parts) + "\n"
