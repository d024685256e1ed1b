"""Reading the project's YAML: a file read again is not parsed again, and never shared."""

from __future__ import annotations

from tools.yaml_io import line_of_item, load_for_reading

NLU = (
    "nlu:\n- intent: greet\n  examples: |\n    - hi\n- intent: goodbye\n  examples: |\n    - bye\n"
)


def test_a_file_read_again_is_a_new_copy_with_its_line_numbers(tmp_path):
    path = tmp_path / "greet.yml"
    path.write_text(NLU, encoding="utf-8")
    first, problem = load_for_reading(path, tmp_path)
    again, _ = load_for_reading(path, tmp_path)
    assert problem is None
    assert again == first and again is not first
    assert line_of_item(again["nlu"], 1) == 5
    again["nlu"].append({"intent": "changed by a reader"})
    assert load_for_reading(path, tmp_path)[0] == first


def test_a_changed_file_is_parsed_again(tmp_path):
    path = tmp_path / "greet.yml"
    path.write_text(NLU, encoding="utf-8")
    load_for_reading(path, tmp_path)
    path.write_text(NLU.replace("- bye", "- see you"), encoding="utf-8")
    doc, _ = load_for_reading(path, tmp_path)
    assert "see you" in doc["nlu"][1]["examples"]


def test_a_file_that_is_not_valid_yaml_is_reported_each_time(tmp_path):
    path = tmp_path / "greet.yml"
    path.write_text("nlu: [\n", encoding="utf-8")
    for _ in range(2):
        doc, problem = load_for_reading(path, tmp_path)
        assert doc is None and "not valid YAML" in problem.message


def test_a_file_not_saved_as_utf8_is_reported(tmp_path):
    path = tmp_path / "greet.yml"
    path.write_bytes("nlu:\n- intent: café\n".encode("latin-1"))
    doc, problem = load_for_reading(path, tmp_path)
    assert doc is None and "not saved as UTF-8" in problem.message
