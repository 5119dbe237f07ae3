from komae_analysis.cli import main

raise SystemExit(main())
