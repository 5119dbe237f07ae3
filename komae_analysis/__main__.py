from komae_analysis.cli import run

run()
