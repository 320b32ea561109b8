"""Model parameters: defaults of MODEL.md section 10, ranges, parsing."""

import pytest

from graphmodel.errors import ParameterError
from graphmodel.params import PARAMETERS, Params, load_toml, parse_assignments


def test_defaults_are_those_of_the_model():
    p = Params()
    assert p["tau_like"] == 0.5 and p["tau_comment"] == 20 and p["tau_share"] == 15
    assert (p["w_like"], p["w_comment"], p["w_share"], p["w_purchase"], p["w_watch"]) == (1, 3, 5, 4, 1)
    assert p["p_data"] == 0.01 and p["alpha"] == 1.0 and p["take_rate"] == 0.05
    assert p["coin_yuan"] == 0.0001 and p["lambda"] == 0.5
    assert p["attribution"] == "decay" and p["delta"] == 0.5 and p["min_wage_hour"] == 24
    assert set(p) == set(PARAMETERS)


def test_values_are_parsed_and_checked():
    assert Params(parse_assignments(["take_rate=0.1", " delta = 0.25"]))["delta"] == 0.25
    with pytest.raises(ParameterError, match="unknown parameter 'tak_rate'"):
        Params({"tak_rate": 0.1})
    with pytest.raises(ParameterError, match=r"take_rate must be in \[0, 1\]"):
        Params({"take_rate": "1.5"})
    with pytest.raises(ParameterError, match="must be a number"):
        Params({"alpha": "fast"})
    with pytest.raises(ParameterError, match="must be one of decay"):
        Params({"attribution": "shapley"})
    with pytest.raises(ParameterError, match="name=value"):
        parse_assignments(["take_rate"])


def test_toml(tmp_path):
    f = tmp_path / "p.toml"
    f.write_text('[params]\ntake_rate = 0.02\nattribution = "last"\n')
    assert Params(load_toml(f))["attribution"] == "last"
    f.write_text("take_rate = = 1")
    with pytest.raises(ParameterError, match="not valid TOML"):
        load_toml(f)


def test_a_toml_boolean_is_not_a_number(tmp_path):
    with pytest.raises(ParameterError, match="alpha must be a number, got True"):
        Params({"alpha": True})
    f = tmp_path / "p.toml"
    f.write_text("[params]\nalpha = true\n")
    with pytest.raises(ParameterError, match="alpha must be a number, got True"):
        Params(load_toml(f))


@pytest.mark.parametrize("body", ['params = "x"', "params = 3", "params = [1, 2]"])
def test_params_that_is_not_a_table_is_one_line_exit_2(tmp_path, tiny_dir, body):
    from click.testing import CliRunner

    from graphmodel.cli.main import main

    f = tmp_path / "p.toml"
    f.write_text(body + "\n")
    with pytest.raises(ParameterError, match="params must be a table"):
        load_toml(f)
    r = CliRunner().invoke(main, ["value", "--source", str(tiny_dir), "--config", str(f)])
    assert r.exit_code == 2 and "Traceback" not in r.output
    assert r.stderr.strip().splitlines() == [
        f"error: {f}: params must be a table ([params] with name = value lines), "
        f"got {body.split(' = ')[1].replace(chr(34), chr(39))}"
    ]
